package emulator

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// Backups (keys here; secrets and certificates the same way) are opaque
// blobs, as Key Vault's are: the object's state sealed with AES-256-GCM
// under the emulator's backup key, which every vault of one emulator shares
// (so a blob restores into any of them) and --data keeps across restarts.
// The kind of object is bound in as additional data, so a key's blob is no
// secret's. A blob from another emulator, or changed by one bit, does not
// open: a 400 with Key Vault's BadParameter code.

// backupMagic starts every sealed blob (before base64url).
const backupMagic = "kvqb1"

// maxBackupVersions is Key Vault's limit on the versions of one backed-up
// object (service limits: "Back up individual key, secret, certificate 500").
const maxBackupVersions = 500

func newBackupKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return k
}

func (v *Vault) backupAEAD() cipher.AEAD {
	b, err := aes.NewCipher(v.backupKey)
	if err != nil {
		panic("emulator: backup key: " + err.Error()) // 32 bytes by construction
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic("emulator: backup cipher: " + err.Error())
	}
	return g
}

// sealBackup returns the base64url blob of payload, an object of kind.
func (v *Vault) sealBackup(kind string, payload []byte) string {
	g := v.backupAEAD()
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	out := append([]byte(backupMagic), nonce...)
	out = g.Seal(out, nonce, payload, []byte(kind))
	return base64.RawURLEncoding.EncodeToString(out)
}

// openBackup reverses sealBackup, or answers why the blob is refused.
func (v *Vault) openBackup(kind, blob string) ([]byte, *kverror.Error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(blob, "="))
	if err != nil {
		return nil, kverror.BadParameter("The parameter 'value' is not base64url.")
	}
	g := v.backupAEAD()
	head := len(backupMagic) + g.NonceSize()
	if len(raw) < head+g.Overhead() || string(raw[:len(backupMagic)]) != backupMagic {
		return nil, errBadBackup()
	}
	payload, err := g.Open(nil, raw[len(backupMagic):head], raw[head:], []byte(kind))
	if err != nil {
		return nil, errBadBackup()
	}
	return payload, nil
}

func errBadBackup() *kverror.Error {
	return kverror.BadParameter("The backup blob is not valid: it is corrupt, was changed, or was not made by this emulator.")
}
