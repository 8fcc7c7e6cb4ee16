package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// A certificate's backup is an opaque blob sealed like every backup of the
// emulator (backup.go, kind "certificate"): the certificate with every
// version and its policy, its key versions (material included) and its
// secret versions. Any vault of the same emulator restores it, after a
// restart too with --data; an altered or foreign blob is a 400.

// certBackupDoc is the sealed content.
type certBackupDoc struct {
	Cert    store.CertEntryState `json:"cert"`
	Keys    []certBackupKey      `json:"keys"`
	Secrets []store.Secret       `json:"secrets"`
}

type certBackupKey struct {
	store.Key
	Material []byte `json:"material"`
}

// POST /certificates/{name}/backup.
func backupCert(rq *request) {
	name := rq.param("name")
	st, err := rq.v.certStore().Export(name)
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	if len(st.Versions) > maxBackupVersions {
		rq.fail(kverror.BadParameter("Certificate " + clip(st.Name) + " has " + strconv.Itoa(len(st.Versions)) +
			" versions; Key Vault backs up objects of at most " + strconv.Itoa(maxBackupVersions) + "."))
		return
	}
	doc := certBackupDoc{Cert: st, Secrets: rq.v.secrets.OwnedVersions(name)}
	for _, k := range rq.v.keyStore().OwnedVersions(name) {
		m, err := encodeMaterial(k.Private)
		if err != nil {
			rq.fail(kverror.Internal("The certificate's key could not be backed up."))
			return
		}
		k.Private = nil // the material travels encoded, in Material
		doc.Keys = append(doc.Keys, certBackupKey{Key: k, Material: m})
	}
	payload, err := json.Marshal(doc)
	if err != nil {
		rq.fail(kverror.Internal("The certificate could not be backed up."))
		return
	}
	rq.ok(backupValue{Value: rq.v.sealBackup("certificate", payload)})
}

// POST /certificates/restore: the certificate comes back with its key and
// secret into a free name (409 otherwise), answered with its latest version.
func restoreCert(rq *request) {
	var in backupValue
	if e := rq.decodeBody(&in); e != nil {
		rq.fail(e)
		return
	}
	if in.Value == "" {
		rq.fail(kverror.BadParameter("The parameter 'value' is required to restore a certificate."))
		return
	}
	payload, e := rq.v.openBackup("certificate", in.Value)
	if e != nil {
		rq.fail(e)
		return
	}
	var doc certBackupDoc
	if json.Unmarshal(payload, &doc) != nil || !validName(doc.Cert.Name) {
		rq.fail(errBadBackup())
		return
	}
	c, p, err := rq.v.certStore().Import(doc.Cert)
	switch {
	case errors.Is(err, store.ErrExists):
		rq.fail(kverror.New(http.StatusConflict, "Conflict", "Certificate "+clip(doc.Cert.Name)+" already exists in this key vault; a backup restores only under a name that is free."))
		return
	case err != nil:
		rq.fail(certError(err, doc.Cert.Name))
		return
	}
	rq.restoreOwned(c, doc)
	rq.ok(rq.certBundleOf(c, p))
}

// restoreOwned puts back a restored certificate's key and secret versions,
// the certificate's latest version last so that it is their latest too.
func (rq *request) restoreOwned(c store.Cert, doc certBackupDoc) {
	var latest *store.Key
	for i := range doc.Keys {
		k := doc.Keys[i].Key
		var err error
		if k.Private, err = decodeMaterial(doc.Keys[i].Material); err != nil {
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
	rq.v.secrets.RestoreOwned(c.Name, c.Version, doc.Secrets)
}
