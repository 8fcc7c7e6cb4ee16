package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// Secret backup and restore (secrets.json: BackupSecret, RestoreSecret): a
// backup holds every version of a secret, with its version ids, values,
// attributes and tags, in an opaque blob (backup.go); a restore brings them
// all back under the same ids, into any vault of the same emulator.

// secretBackupKind is the blob kind of a secret's backup.
const secretBackupKind = "secret"

// POST /secrets/{name}/backup: BackupSecretResult.
func backupSecret(rq *request) {
	es, err := rq.v.secrets.Backup(rq.param("name"))
	if err != nil {
		rq.fail(secretError(err, rq.param("name")))
		return
	}
	if len(es.Versions) > maxBackupVersions {
		rq.fail(kverror.BadParameter("Secret " + clip(es.Name) + " has " + strconv.Itoa(len(es.Versions)) +
			" versions; Key Vault backs up objects of at most " + strconv.Itoa(maxBackupVersions) + "."))
		return
	}
	payload, err := json.Marshal(es)
	if err != nil {
		rq.fail(kverror.Internal("The secret could not be backed up."))
		return
	}
	rq.ok(backupValue{Value: rq.v.sealBackup(secretBackupKind, payload)})
}

// POST /secrets/restore (SecretRestoreParameters): answered with the latest
// version's bundle, without its value.
func restoreSecret(rq *request) {
	var in backupValue
	if e := rq.decodeBody(&in); e != nil {
		rq.fail(e)
		return
	}
	if in.Value == "" {
		rq.fail(kverror.BadParameter("The parameter 'value' (the backup blob) is required to restore a secret."))
		return
	}
	payload, e := rq.v.openBackup(secretBackupKind, in.Value)
	if e != nil {
		rq.fail(e)
		return
	}
	var es store.SecretEntryState
	if json.Unmarshal(payload, &es) != nil || !validName(es.Name) {
		rq.fail(errBadBackup())
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
		rq.fail(errBadBackup())
		return
	}
	rq.ok(rq.bundle(s, false))
}

// errRestoreConflict: a restore into a name that is in use, live or
// soft-deleted (Key Vault answers 409; Azure/azure-sdk-for-net#26027).
func errRestoreConflict(name string) *kverror.Error {
	return kverror.New(http.StatusConflict, "Conflict",
		"There was a conflict restoring the secret '"+clip(name)+"': a secret with that name exists, live or deleted but not yet purged. Delete and purge it, or restore into another vault.")
}
