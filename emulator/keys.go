package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// keyRoutes are the operations on keys: create, get, list, delete, and the
// cryptographic operations of keyops.go.
func keyRoutes(*Vault) []route {
	routes := []route{
		{method: http.MethodGet, pattern: "keys", handle: listKeys, classify: classifyKey, need: keysNeed("list"), state: reads},
		{method: http.MethodPost, pattern: "keys/{name}/create", handle: createKey, classify: classifyKeyCreate, need: keysNeed("create"), state: changes},
		{method: http.MethodGet, pattern: "keys/{name}", handle: getKey, classify: classifyKey, need: keysNeed("get"), state: reads},
		{method: http.MethodGet, pattern: "keys/{name}/{version}", handle: getKey, classify: classifyKey, need: keysNeed("get"), state: reads},
		{method: http.MethodDelete, pattern: "keys/{name}", handle: deleteKey, classify: classifyKey, need: keysNeed("delete"), state: changes},
	}
	return append(routes, cryptoRoutes()...)
}

// cryptoRoutes are the cryptographic operations of keyops.go, each with a
// version and without one (the latest), as the Azure SDK sends them when it
// is given none: its path joining folds "/keys/k//sign" to "/keys/k/sign".
func cryptoRoutes() []route {
	var routes []route
	for _, c := range []struct {
		word, perm string
		op         keyOpKind
	}{
		{"sign", "sign", opSign}, {"verify", "verify", opVerify},
		{"encrypt", "encrypt", opEncrypt}, {"decrypt", "decrypt", opDecrypt},
		{"wrapkey", "wrapKey", opEncrypt}, {"unwrapkey", "unwrapKey", opDecrypt},
	} {
		for _, prefix := range []string{"keys/{name}/{version}/", "keys/{name}/"} {
			routes = append(routes, route{method: http.MethodPost, pattern: prefix + c.word, handle: keyOp(c.op),
				classify: classifyKey, need: keysNeed(c.perm), state: reads})
		}
	}
	return routes
}

// classifyKey is the class of an operation on an existing key: its type's
// "all other" (limits.ClassifyKeyRequest with the store as the lookup). A
// request on a key that does not exist uses no quota and answers 404.
func classifyKey(rq *request) (limits.Class, bool) {
	return limits.ClassifyKeyRequest(rq.r.Method, rq.r.URL.Path, rq.v.keyStore().Spec)
}

// createKeyBody is KeyCreateParameters.
type createKeyBody struct {
	Kty        string            `json:"kty"`
	KeySize    int               `json:"key_size"`
	Crv        string            `json:"crv"`
	KeyOps     []string          `json:"key_ops"`
	Attributes *attributesIn     `json:"attributes"`
	Tags       map[string]string `json:"tags"`
}

// classifyKeyCreate reads the body for the new key's type, which decides its
// CREATE class, and puts the body back for createKey. A body that does not
// name a key type Key Vault makes uses no quota; createKey answers 400.
func classifyKeyCreate(rq *request) (limits.Class, bool) {
	raw, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.r.Body, maxBody))
	rq.r.Body = io.NopCloser(bytes.NewReader(raw))
	if err != nil {
		return "", false
	}
	var b createKeyBody
	if json.Unmarshal(raw, &b) != nil {
		return "", false
	}
	spec, err := limits.ParseKeySpec(b.Kty, b.KeySize, b.Crv)
	if err != nil {
		return "", false
	}
	return spec.Class(true), true
}

// allKeyOps are the operations a key allows when its create names none.
var allKeyOps = []string{"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"}

// POST /keys/{name}/create: a new key (or version) with fresh material.
func createKey(rq *request) {
	var b createKeyBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	spec, err := limits.ParseKeySpec(b.Kty, b.KeySize, b.Crv)
	if err != nil {
		rq.fail(kverror.BadParameter("Invalid key parameters: " + err.Error()))
		return
	}
	if e := checkProperties(nil, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	k := store.Key{Kty: b.Kty, Spec: spec, Enabled: true, Tags: b.Tags, Ops: allKeyOps}
	if len(b.KeyOps) > 0 {
		for _, op := range b.KeyOps {
			if !slices.Contains(allKeyOps, op) {
				rq.fail(kverror.BadParameter("Invalid key operation '" + clip(op) + "'."))
				return
			}
		}
		k.Ops = b.KeyOps
	}
	if a := b.Attributes; a != nil && a.Enabled != nil {
		k.Enabled = *a.Enabled
	}
	if spec.Type == limits.EC {
		k.Curve = b.Crv
		if k.Curve == "" {
			k.Curve = "P-256"
		}
	} else {
		k.Size = b.KeySize
		if k.Size == 0 {
			k.Size = 2048
		}
	}
	if k.Private, err = rq.v.keyMaker().make(k.Size, k.Curve); err != nil {
		rq.fail(kverror.Internal("The key could not be generated."))
		return
	}
	created, err := rq.v.keyStore().Create(rq.param("name"), k)
	if err != nil {
		rq.fail(keyError(err, rq.param("name")))
		return
	}
	rq.ok(rq.keyBundle(created))
}

// GET /keys/{name}[/{version}]: the key's public part.
func getKey(rq *request) {
	k, err := rq.v.keyStore().Get(rq.param("name"), rq.param("version"))
	if err != nil {
		rq.fail(keyError(err, rq.param("name")))
		return
	}
	rq.ok(rq.keyBundle(k))
}

// DELETE /keys/{name}: soft delete, answered with the deleted bundle.
func deleteKey(rq *request) {
	d, err := rq.v.keyStore().Delete(rq.param("name"))
	if err != nil {
		rq.fail(keyError(err, rq.param("name")))
		return
	}
	rq.ok(deletedKeyBundle{
		RecoveryID:         rq.base + "/deletedkeys/" + d.Name,
		DeletedDate:        d.DeletedDate,
		ScheduledPurgeDate: d.ScheduledPurgeDate,
		keyBundle:          rq.keyBundle(d.Key),
	})
}

// GET /keys: a page of keys (KeyItem: kid and attributes).
func listKeys(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	keys, next := rq.v.keyStore().List(p.after, p.size)
	res := listResult[keyItem]{Value: make([]keyItem, 0, len(keys))}
	for _, k := range keys {
		res.Value = append(res.Value, keyItem{Kid: rq.base + "/keys/" + k.Name, Attributes: keyAttrs(k), Tags: k.Tags})
	}
	res.NextLink = rq.nextLink("/keys", p, next)
	rq.ok(res)
}

// keyError maps the store's refusals to Key Vault's errors.
func keyError(err error, name string) *kverror.Error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return kverror.New(http.StatusNotFound, "KeyNotFound",
			"A key with (name/id) "+clip(name)+" was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182")
	case errors.Is(err, store.ErrDeleted):
		return kverror.New(http.StatusConflict, "Conflict",
			"Key "+clip(name)+" is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.").
			WithInner("ObjectIsDeletedButRecoverable")
	default:
		return kverror.Internal("The key store failed.")
	}
}

func (v *Vault) keyStore() *store.Keys { return v.keys }
func (v *Vault) keyMaker() *keyMaker   { return v.keygen }
