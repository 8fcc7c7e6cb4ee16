package emulator

import (
	"errors"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// deletedSecretRoutes are the operations on soft-deleted secrets.
func deletedSecretRoutes(*Vault) []route {
	return []route{
		{method: http.MethodGet, pattern: "deletedsecrets", handle: listDeletedSecrets, classify: classifySecret, need: secretsNeed("list"), state: reads},
		{method: http.MethodGet, pattern: "deletedsecrets/{name}", handle: getDeletedSecret, classify: classifySecret, need: secretsNeed("list"), state: reads},
		{method: http.MethodDelete, pattern: "deletedsecrets/{name}", handle: purgeDeletedSecret, classify: classifySecret, need: secretsNeed("purge"), state: changes},
		{method: http.MethodPost, pattern: "deletedsecrets/{name}/recover", handle: recoverDeletedSecret, classify: classifySecret, need: secretsNeed("recover"), state: changes},
	}
}

// GET /deletedsecrets: a page of deleted secrets.
func listDeletedSecrets(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	deleted, next := rq.v.secrets.ListDeleted(p.after, p.size)
	res := listResult[deletedSecretBundle]{Value: make([]deletedSecretBundle, 0, len(deleted))}
	for _, d := range deleted {
		res.Value = append(res.Value, rq.deletedBundle(d, true))
	}
	res.NextLink = rq.nextLink("/deletedsecrets", p, next)
	rq.ok(res)
}

// GET /deletedsecrets/{name}.
func getDeletedSecret(rq *request) {
	d, err := rq.v.secrets.GetDeleted(rq.param("name"))
	if err != nil {
		rq.fail(deletedSecretError(err, rq.param("name")))
		return
	}
	rq.ok(rq.deletedBundle(d, false))
}

// DELETE /deletedsecrets/{name}: purge, answered 204 without a body.
func purgeDeletedSecret(rq *request) {
	if err := rq.v.secrets.Purge(rq.param("name")); err != nil {
		rq.fail(deletedSecretError(err, rq.param("name")))
		return
	}
	rq.noContent()
}

// POST /deletedsecrets/{name}/recover: the secret comes back with every
// version; answered with its latest version's bundle, without the value.
func recoverDeletedSecret(rq *request) {
	s, err := rq.v.secrets.Recover(rq.param("name"))
	if err != nil {
		rq.fail(deletedSecretError(err, rq.param("name")))
		return
	}
	rq.ok(rq.bundle(s, false))
}

// deletedSecretError: the real service's text for a deleted secret that is not
// there (azsecrets TestCRUD recording, Azure/azure-sdk-for-net#26027).
func deletedSecretError(err error, name string) *kverror.Error {
	if errors.Is(err, store.ErrPurgeProtected) {
		return errPurgeProtected()
	}
	if errors.Is(err, store.ErrNotFound) {
		return kverror.New(http.StatusNotFound, "SecretNotFound", "Deleted Secret not found: "+name)
	}
	return secretError(err, name)
}
