package emulator

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// A certificate backup is opaque, as Key Vault's are: the certificate with
// every version and its policy, its key versions (material included) and
// its secret versions, as JSON sealed with AES-256-GCM under a key of the
// emulator's certificate store. Any vault of the same emulator (they share
// the store) can restore it, after a restart too with --data (the key is
// persisted); a blob altered by one bit, or made by another emulator, fails
// to open and is a 400.

// certBackup is the sealed content.
type certBackup struct {
	Format  string               `json:"format"`
	Cert    store.CertEntryState `json:"cert"`
	Keys    []backupKey          `json:"keys"`
	Secrets []store.Secret       `json:"secrets"`
}

type backupKey struct {
	store.Key
	Material []byte `json:"material"`
}

const certBackupFormat = "kvquota-certificate-backup-1"

// backupResult is BackupCertificateResult (value: base64url).
type backupResult struct {
	Value string `json:"value"`
}

// POST /certificates/{name}/backup.
func backupCert(rq *request) {
	name := rq.param("name")
	st, err := rq.v.certStore().Export(name)
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	b := certBackup{Format: certBackupFormat, Cert: st, Secrets: rq.v.secrets.OwnedVersions(name)}
	for _, k := range rq.v.keyStore().OwnedVersions(name) {
		m, err := encodeMaterial(k.Private)
		if err != nil {
			rq.fail(kverror.Internal("The certificate's key could not be backed up."))
			return
		}
		k.Private = nil // the material travels encoded, in Material
		b.Keys = append(b.Keys, backupKey{Key: k, Material: m})
	}
	plain, _ := json.Marshal(b)
	blob, err := sealBackup(rq.v.certStore().SealKey(), plain)
	if err != nil {
		rq.fail(kverror.Internal("The backup could not be sealed."))
		return
	}
	rq.ok(backupResult{Value: base64.RawURLEncoding.EncodeToString(blob)})
}

// POST /certificates/restore: the certificate comes back with its key and
// secret, answered with its latest version.
func restoreCert(rq *request) {
	var in backupResult
	if e := rq.decodeBody(&in); e != nil {
		rq.fail(e)
		return
	}
	b, e := rq.openBackup(in.Value)
	if e != nil {
		rq.fail(e)
		return
	}
	c, p, err := rq.v.certStore().Import(b.Cert)
	switch {
	case errors.Is(err, store.ErrExists):
		rq.fail(kverror.New(http.StatusConflict, "Conflict", "Certificate "+clip(b.Cert.Name)+" already exists in this key vault; a backup restores only under a name that is free."))
		return
	case err != nil:
		rq.fail(certError(err, b.Cert.Name))
		return
	}
	var latest *store.Key
	for i := range b.Keys {
		k := b.Keys[i].Key
		if k.Private, err = decodeMaterial(b.Keys[i].Material); err != nil {
			continue
		}
		if k.Version == c.Version {
			latest = &k
			continue
		}
		rq.v.keyStore().PutOwned(c.Name, k.Version, k)
	}
	if latest != nil {
		rq.v.keyStore().PutOwned(c.Name, latest.Version, *latest)
	}
	rq.v.secrets.RestoreOwned(c.Name, c.Version, b.Secrets)
	rq.ok(rq.certBundleOf(c, p))
}

// errBadBackup is the 400 for a blob that is not one of this emulator's
// certificate backups.
func errBadBackup() *kverror.Error {
	return kverror.BadParameter("The backup blob is malformed, was altered, or was not made by this emulator; only a certificate backup taken from a vault of the same emulator can be restored.")
}

func (rq *request) openBackup(value string) (certBackup, *kverror.Error) {
	var b certBackup
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
	if err != nil || value == "" {
		return b, errBadBackup()
	}
	plain, err := openSealed(rq.v.certStore().SealKey(), raw)
	if err != nil || json.Unmarshal(plain, &b) != nil || b.Format != certBackupFormat || !validName(b.Cert.Name) {
		return b, errBadBackup()
	}
	return b, nil
}

func sealBackup(key, plain []byte) ([]byte, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return g.Seal(nonce, nonce, plain, []byte(certBackupFormat)), nil
}

func openSealed(key, blob []byte) ([]byte, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, err
	}
	if len(blob) < g.NonceSize() {
		return nil, errors.New("short blob")
	}
	return g.Open(nil, blob[:g.NonceSize()], blob[g.NonceSize():], []byte(certBackupFormat))
}
