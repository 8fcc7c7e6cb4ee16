package emulator

import (
	"errors"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// deletedKeyRoutes are the operations on soft-deleted keys. The spec names
// keys/get for getting one and keys/list for listing them.
func deletedKeyRoutes(*Vault) []route {
	return []route{
		{method: http.MethodGet, pattern: "deletedkeys", handle: listDeletedKeys, classify: classifyKey, need: keysNeed("list"), state: reads},
		{method: http.MethodGet, pattern: "deletedkeys/{name}", handle: getDeletedKey, classify: classifyKey, need: keysNeed("get"), state: reads},
		{method: http.MethodDelete, pattern: "deletedkeys/{name}", handle: purgeDeletedKey, classify: classifyKey, need: keysNeed("purge"), state: changes},
		{method: http.MethodPost, pattern: "deletedkeys/{name}/recover", handle: recoverDeletedKey, classify: classifyKey, need: keysNeed("recover"), state: changes},
	}
}

// GET /deletedkeys: a page of deleted keys (DeletedKeyItem).
func listDeletedKeys(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	deleted, next := rq.v.keyStore().ListDeleted(p.after, p.size)
	res := listResult[deletedKeyItem]{Value: make([]deletedKeyItem, 0, len(deleted))}
	for _, d := range deleted {
		res.Value = append(res.Value, deletedKeyItem{RecoveryID: rq.base + "/deletedkeys/" + d.Name,
			DeletedDate: d.DeletedDate, ScheduledPurgeDate: d.ScheduledPurgeDate, keyItem: rq.keyItem(d.Key, false)})
	}
	res.NextLink = rq.nextLink("/deletedkeys", p, next)
	rq.ok(res)
}

// GET /deletedkeys/{name}.
func getDeletedKey(rq *request) {
	d, err := rq.v.keyStore().GetDeleted(rq.param("name"))
	if err != nil {
		rq.fail(deletedKeyError(err, rq.param("name")))
		return
	}
	rq.ok(rq.deletedKeyBundle(d))
}

// DELETE /deletedkeys/{name}: purge, answered 204 without a body; refused in
// a vault with purge protection.
func purgeDeletedKey(rq *request) {
	if err := rq.v.keyStore().Purge(rq.param("name")); err != nil {
		rq.fail(deletedKeyError(err, rq.param("name")))
		return
	}
	rq.noContent()
}

// POST /deletedkeys/{name}/recover: the key comes back with every version;
// answered with its latest version's bundle.
func recoverDeletedKey(rq *request) {
	k, err := rq.v.keyStore().Recover(rq.param("name"))
	if err != nil {
		rq.fail(deletedKeyError(err, rq.param("name")))
		return
	}
	rq.ok(rq.keyBundle(k))
}

// deletedKeyError: Key Vault's text for a deleted key that is not there
// (the form of its deleted-secret answer, "Deleted Key not found: <name>").
func deletedKeyError(err error, name string) *kverror.Error {
	if errors.Is(err, store.ErrNotFound) {
		return kverror.New(http.StatusNotFound, "KeyNotFound", "Deleted Key not found: "+clip(name))
	}
	return keyError(err, name)
}
