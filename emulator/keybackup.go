package emulator

import (
	"encoding/json"
	"strconv"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// keyBackupDoc is what a key's backup blob seals: the key with every
// version, each version's material encoded as --data stores it.
type keyBackupDoc struct {
	Name      string                `json:"name"`
	Latest    string                `json:"latest"`
	Versions  []store.KeyState      `json:"versions"`
	Materials [][]byte              `json:"materials"`
	Policy    *store.RotationPolicy `json:"rotationPolicy,omitempty"`
}

// backupValue is BackupKeyResult and KeyRestoreParameters.
type backupValue struct {
	Value string `json:"value"`
}

// POST /keys/{name}/backup: the key with every version as an opaque blob.
func backupKey(rq *request) {
	b, err := rq.v.keyStore().Backup(rq.param("name"))
	if err != nil {
		rq.fail(keyError(err, rq.param("name")))
		return
	}
	if len(b.Versions) > maxBackupVersions {
		rq.fail(kverror.BadParameter("Key " + clip(b.Name) + " has " + strconv.Itoa(len(b.Versions)) +
			" versions; Key Vault backs up objects of at most " + strconv.Itoa(maxBackupVersions) + "."))
		return
	}
	doc := keyBackupDoc{Name: b.Name, Latest: b.Latest, Policy: b.Policy}
	for i, k := range b.Versions {
		m, err := encodeMaterial(k.Private)
		if err != nil {
			rq.fail(kverror.Internal("The key could not be backed up."))
			return
		}
		ks := store.KeyState{Key: k, Material: i}
		ks.Key.Private = nil
		doc.Versions = append(doc.Versions, ks)
		doc.Materials = append(doc.Materials, m)
	}
	payload, err := json.Marshal(doc)
	if err != nil {
		rq.fail(kverror.Internal("The key could not be backed up."))
		return
	}
	rq.ok(backupValue{Value: rq.v.sealBackup("key", payload)})
}

// POST /keys/restore: a backed-up key back, with its versions, into a name
// that is free (a 409 otherwise).
func restoreKey(rq *request) {
	var in backupValue
	if e := rq.decodeBody(&in); e != nil {
		rq.fail(e)
		return
	}
	if in.Value == "" {
		rq.fail(kverror.BadParameter("The parameter 'value' is required to restore a key."))
		return
	}
	payload, e := rq.v.openBackup("key", in.Value)
	if e != nil {
		rq.fail(e)
		return
	}
	var doc keyBackupDoc
	if json.Unmarshal(payload, &doc) != nil || len(doc.Versions) != len(doc.Materials) {
		rq.fail(errBadBackup())
		return
	}
	b := store.KeyBackup{Name: doc.Name, Latest: doc.Latest, Policy: doc.Policy}
	for i, ks := range doc.Versions {
		priv, err := decodeMaterial(doc.Materials[i])
		if err != nil {
			rq.fail(errBadBackup())
			return
		}
		k := ks.Key
		k.Private = priv
		b.Versions = append(b.Versions, k)
	}
	if !validName(b.Name) {
		rq.fail(errBadBackup())
		return
	}
	k, err := rq.v.keyStore().RestoreBackup(b)
	if err != nil {
		if err == store.ErrExists || err == store.ErrDeleted {
			rq.fail(keyError(err, b.Name))
			return
		}
		rq.fail(errBadBackup())
		return
	}
	rq.ok(rq.keyBundle(k))
}
