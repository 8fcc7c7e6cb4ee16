package emulator

import (
	"errors"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// Secret backup and restore (secrets.json: BackupSecret, RestoreSecret): a
// backup holds every version of a secret, with its version ids, values,
// attributes and tags, in an opaque blob (backupblob.go); a restore brings
// them all back under the same ids, into any vault of the same emulator.

// secretBackupKind is the blob kind of a secret's backup.
const secretBackupKind = "secret"

// backupResult is BackupSecretResult (and BackupKeyResult).
type backupResult struct {
	Value string `json:"value"`
}

// POST /secrets/{name}/backup.
func backupSecret(rq *request) {
	es, err := rq.v.secrets.Backup(rq.param("name"))
	if err != nil {
		rq.fail(secretError(err, rq.param("name")))
		return
	}
	blob, err := rq.v.sealBackup(secretBackupKind, es)
	if err != nil {
		rq.fail(kverror.Internal("The backup could not be written."))
		return
	}
	rq.ok(backupResult{Value: blob})
}

// POST /secrets/restore: answered with the latest version's bundle, without
// its value.
func restoreSecret(rq *request) {
	blob, e := rq.decodeRestoreBody()
	if e != nil {
		rq.fail(e)
		return
	}
	var es store.SecretEntryState
	if err := rq.v.openBackup(secretBackupKind, blob, &es); err != nil || !validName(es.Name) {
		rq.fail(errCannotDecryptBlob())
		return
	}
	s, err := rq.v.secrets.RestoreBackup(es)
	switch {
	case errors.Is(err, store.ErrExists), errors.Is(err, store.ErrDeleted):
		rq.fail(errRestoreConflict(es.Name))
		return
	case err != nil:
		// A blob that opened but does not hold a consistent secret was
		// sealed by this emulator from something else: as foreign as any.
		rq.fail(errCannotDecryptBlob())
		return
	}
	rq.ok(rq.bundle(s, false))
}

// errRestoreConflict: a restore into a name that is in use, live or
// soft-deleted (Key Vault answers 409; Azure/azure-sdk-for-net#26027).
func errRestoreConflict(name string) *kverror.Error {
	return kverror.New(http.StatusConflict, "Conflict",
		"There was a conflict restoring the secret '"+name+"': a secret with that name exists, live or deleted but not yet purged. Delete and purge it, or restore into another vault.")
}
