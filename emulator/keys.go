package emulator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// keyRoutes are the operations on keys: create, get, list, delete, the key
// lifecycle (keylife.go, keybackup.go, keyrotation.go, keyrelease.go), deleted keys
// (deletedkeys.go) and the cryptographic operations of keyops.go.
func keyRoutes(*Vault) []route {
	routes := []route{
		{method: http.MethodGet, pattern: "keys", handle: listKeys, classify: classifyKey, need: keysNeed("list"), state: reads},
		{method: http.MethodPost, pattern: "keys/{name}/create", handle: createKey, classify: classifyKeyCreate, need: keysNeed("create"), state: changes},
		{method: http.MethodPut, pattern: "keys/{name}", handle: importKey, classify: classifyKeyImport, need: keysNeed("import"), state: changes},
		{method: http.MethodGet, pattern: "keys/{name}", handle: getKey, classify: classifyKey, need: keysNeed("get"), state: reads},
		{method: http.MethodGet, pattern: "keys/{name}/{version}", handle: getKey, classify: classifyKey, need: keysNeed("get"), state: reads},
		{method: http.MethodPatch, pattern: "keys/{name}", handle: updateKey, classify: classifyKey, need: keysNeed("update"), state: changes},
		{method: http.MethodPatch, pattern: "keys/{name}/{version}", handle: updateKey, classify: classifyKey, need: keysNeed("update"), state: changes},
		{method: http.MethodGet, pattern: "keys/{name}/versions", handle: listKeyVersions, classify: classifyKey, need: keysNeed("list"), state: reads},
		{method: http.MethodDelete, pattern: "keys/{name}", handle: deleteKey, classify: classifyKey, need: keysNeed("delete"), state: changes},
		{method: http.MethodPost, pattern: "keys/{name}/backup", handle: backupKey, classify: classifyKey, need: keysNeed("backup"), state: reads},
		{method: http.MethodPost, pattern: "keys/restore", handle: restoreKey, classify: classifyKey, need: keysNeed("restore"), state: changes},
		{method: http.MethodPost, pattern: "keys/{name}/rotate", handle: rotateKey, classify: classifyKey, need: keysNeed("rotate"), state: changes},
		{method: http.MethodGet, pattern: "keys/{name}/rotationpolicy", handle: getRotationPolicy, classify: classifyKey, need: keysNeed("getrotationpolicy"), state: reads},
		{method: http.MethodPut, pattern: "keys/{name}/rotationpolicy", handle: setRotationPolicy, classify: classifyKey, need: keysNeed("setrotationpolicy"), state: changes},
		{method: http.MethodPost, pattern: "keys/{name}/release", handle: releaseKey, classify: classifyKey, need: keysNeed("release"), state: reads},
		{method: http.MethodPost, pattern: "keys/{name}/{version}/release", handle: releaseKey, classify: classifyKey, need: keysNeed("release"), state: reads},
		{method: http.MethodGet, pattern: "keys/{name}/attestation", handle: keyAttestation, classify: classifyKey, need: keysNeed("get"), state: reads},
		{method: http.MethodGet, pattern: "keys/{name}/{version}/attestation", handle: keyAttestation, classify: classifyKey, need: keysNeed("get"), state: reads},
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

// classifyKey is the class of an operation on a key, live or deleted: its
// type's "all other", or CREATE for a rotation; a vault transaction for
// requests that name no key (limits.ClassifyKeyRequestIn with the store as
// the lookup). A request on a key that does not exist uses no quota and
// answers 404.
func classifyKey(rq *request) (limits.Class, bool) {
	return limits.ClassifyKeyRequestIn(rq.v.cfg.Profile, rq.r.Method, rq.r.URL.Path, rq.v.keyStore().Spec)
}

// createKeyBody is KeyCreateParameters.
type createKeyBody struct {
	Kty            string            `json:"kty"`
	KeySize        int               `json:"key_size"`
	PublicExponent int               `json:"public_exponent"`
	Crv            string            `json:"crv"`
	KeyOps         []string          `json:"key_ops"`
	Attributes     *keyAttributesIn  `json:"attributes"`
	Tags           map[string]string `json:"tags"`
	ReleasePolicy  json.RawMessage   `json:"release_policy"`
}

// classifyKeyCreate reads the body for the new key's type, which decides its
// CREATE class, and puts the body back for createKey. A body that does not
// name a key type Key Vault makes uses no quota; createKey answers 400.
func classifyKeyCreate(rq *request) (limits.Class, bool) {
	var b createKeyBody
	if !peekBody(rq, &b) {
		return "", false
	}
	spec, err := limits.ParseKeySpec(b.Kty, b.KeySize, b.Crv)
	if err != nil {
		return "", false
	}
	return spec.Class(true), true
}

// peekBody decodes the request body into v and puts it back for the handler.
func peekBody(rq *request, v any) bool {
	raw, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.r.Body, maxBody))
	rq.r.Body = io.NopCloser(bytes.NewReader(raw))
	return err == nil && json.Unmarshal(raw, v) == nil
}

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
	if b.PublicExponent != 0 && b.PublicExponent != 65537 {
		rq.fail(kverror.BadParameter("The emulator makes RSA keys with public exponent 65537 only."))
		return
	}
	k := store.Key{Kty: b.Kty, Spec: spec, Enabled: true}
	if e := applyKeyProperties(&k, b.KeyOps, b.Attributes, b.Tags, b.ReleasePolicy); e != nil {
		rq.fail(e)
		return
	}
	if spec.Type == limits.EC {
		k.Curve = cmp.Or(b.Crv, "P-256")
	} else {
		k.Size = cmp.Or(b.KeySize, 2048)
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
	rq.ok(rq.deletedKeyBundle(d))
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
		res.Value = append(res.Value, rq.keyItem(k, false))
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
	case errors.Is(err, store.ErrPurgeProtected):
		return errPurgeProtected()
	case errors.Is(err, store.ErrExists):
		return kverror.New(http.StatusConflict, "Conflict", "A key with (name/id) "+clip(name)+" already exists in this key vault; a backup restores only a key that is not there.")
	default:
		return kverror.Internal("The key store failed.")
	}
}

func (v *Vault) keyStore() *store.Keys { return v.keys }
func (v *Vault) keyMaker() *keyMaker   { return v.keygen }
