package emulator

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// Backup blobs. Key Vault's backups are opaque and encrypted: only the
// service can read them, and only in the subscription and geography they
// came from ("Cannot decrypt backup blob" otherwise, Azure/azure-cli#8767).
// The emulator's are the object's state as JSON, sealed with AES-256-GCM
// under a key the emulator makes when it starts (kept in --data's state
// file, so a restarted emulator still restores its own backups). Every vault
// of one emulator shares the key, as vaults of one subscription do, so a
// blob restores into any of them; a blob from another emulator, or changed
// in a single bit, does not open and is a 400.
//
// Layout, then base64url without padding as the REST API's "value":
//
//	"KVQB" | format (1 byte, 1) | nonce (12 bytes) | ciphertext and tag
//
// The kind of object ("secret", "key", ...) is authenticated too, so a secret's
// blob never restores as a key.

const (
	blobMagic   = "KVQB"
	blobFormat  = 1
	blobKeySize = 32
)

// errBadBlob is the answer to a blob that does not open.
var errBadBlob = errors.New("backup blob does not open")

// newBackupKey returns a fresh AES-256 key.
func newBackupKey() []byte {
	k := make([]byte, blobKeySize)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return k
}

func (v *Vault) blobAEAD() cipher.AEAD {
	b, err := aes.NewCipher(v.backupKey)
	if err != nil {
		panic("emulator: backup key: " + err.Error()) // the key is always 32 bytes
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic("emulator: backup cipher: " + err.Error())
	}
	return g
}

func blobHeader() []byte { return append([]byte(blobMagic), blobFormat) }

// sealBackup encodes payload as an opaque blob of kind.
func (v *Vault) sealBackup(kind string, payload any) (string, error) {
	plain, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	g := v.blobAEAD()
	out := blobHeader()
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	out = append(out, nonce...)
	out = g.Seal(out, nonce, plain, append(blobHeader(), kind...))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// openBackup opens a blob of kind into dst; errBadBlob when it is not one of
// this emulator's blobs of that kind, intact.
func (v *Vault) openBackup(kind string, blob []byte, dst any) error {
	g := v.blobAEAD()
	head := blobHeader()
	if len(blob) < len(head)+g.NonceSize()+g.Overhead() || string(blob[:len(head)]) != string(head) {
		return errBadBlob
	}
	nonce := blob[len(head) : len(head)+g.NonceSize()]
	plain, err := g.Open(nil, nonce, blob[len(head)+g.NonceSize():], append(head, kind...))
	if err != nil {
		return errBadBlob
	}
	if err := json.Unmarshal(plain, dst); err != nil {
		return errBadBlob
	}
	return nil
}

// errCannotDecryptBlob is Key Vault's answer to a blob it cannot read
// (the text az keyvault secret restore printed, Azure/azure-cli#8767).
func errCannotDecryptBlob() *kverror.Error {
	return kverror.New(http.StatusBadRequest, "BadParameter", "Cannot decrypt backup blob.")
}

// restoreBody is SecretRestoreParameters and KeyRestoreParameters: the blob,
// base64url-encoded.
type restoreBody struct {
	Value *string `json:"value"`
}

// decodeRestoreBody reads a restore request's blob: 400 when the body is not
// {"value": <base64url>}.
func (rq *request) decodeRestoreBody() ([]byte, *kverror.Error) {
	var b restoreBody
	if e := rq.decodeBody(&b); e != nil {
		return nil, e
	}
	if b.Value == nil || *b.Value == "" {
		return nil, kverror.BadParameter("The parameter 'value' (the backup blob) is required.")
	}
	blob, err := decodeBase64URL(*b.Value)
	if err != nil {
		return nil, kverror.BadParameter("The parameter 'value' is not a base64url-encoded backup blob.")
	}
	return blob, nil
}

// decodeBase64URL accepts base64url with or without padding, as clients
// send either.
func decodeBase64URL(s string) ([]byte, error) {
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.URLEncoding.DecodeString(s)
}
