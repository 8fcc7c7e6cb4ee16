package emulator

import (
	"encoding/json"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// Key properties as create, import and update set them (keys.json:
// KeyAttributes, JsonWebKeyOperation, KeyUpdateParameters).

// keyAttributesIn are the settable KeyAttributes; created, updated and the
// recovery fields are read-only and ignored.
type keyAttributesIn struct {
	Enabled    *bool  `json:"enabled"`
	NotBefore  *int64 `json:"nbf"`
	Expires    *int64 `json:"exp"`
	Exportable *bool  `json:"exportable"`
}

// keyOperations are the JsonWebKeyOperation values, as Key Vault spells them.
var keyOperations = []string{"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export"}

// defaultKeyOps are the operations Key Vault gives a key whose create or
// import names none: EC keys sign and verify; RSA keys all six.
func defaultKeyOps(kty string) []string {
	if strings.HasPrefix(kty, "EC") {
		return []string{"sign", "verify"}
	}
	return []string{"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"}
}

// checkKeyOps returns ops in Key Vault's spelling, or the error naming the
// first one it does not know.
func checkKeyOps(ops []string) ([]string, *kverror.Error) {
	out := make([]string, 0, len(ops))
	for _, op := range ops {
		known := ""
		for _, k := range keyOperations {
			if strings.EqualFold(k, op) {
				known = k
			}
		}
		if known == "" {
			return nil, kverror.BadParameter("Invalid key operation '" + clip(op) + "'.")
		}
		out = append(out, known)
	}
	return out, nil
}

// applyKeyProperties sets what a create or import asks for on k (whose Kty
// is set): key_ops (the kty's defaults when none), attributes and tags. An
// exportable key needs a release policy, as in Key Vault.
func applyKeyProperties(k *store.Key, ops []string, a *keyAttributesIn, tags map[string]string, release json.RawMessage) *kverror.Error {
	if e := checkProperties(nil, tags); e != nil {
		return e
	}
	k.Tags = tags
	k.Ops = defaultKeyOps(k.Kty)
	if len(ops) > 0 {
		checked, e := checkKeyOps(ops)
		if e != nil {
			return e
		}
		k.Ops = checked
	}
	if a == nil {
		return nil
	}
	if a.Enabled != nil {
		k.Enabled = *a.Enabled
	}
	k.NotBefore, k.Expires = a.NotBefore, a.Expires
	if a.Exportable != nil && *a.Exportable {
		if len(release) == 0 || string(release) == "null" {
			return kverror.BadParameter("An exportable key must have a release policy (release_policy).")
		}
		k.Exportable = true
	}
	return nil
}

// updateKeyBody is KeyUpdateParameters.
type updateKeyBody struct {
	KeyOps     *[]string         `json:"key_ops"`
	Attributes *keyAttributesIn  `json:"attributes"`
	Tags       map[string]string `json:"tags"`
}

// PATCH /keys/{name}[/{version}]: change key_ops, attributes or tags of a
// version (the latest when none); the material never changes.
func updateKey(rq *request) {
	var b updateKeyBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if e := checkProperties(nil, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	u := store.KeyUpdate{Tags: b.Tags}
	if b.KeyOps != nil {
		ops, e := checkKeyOps(*b.KeyOps)
		if e != nil {
			rq.fail(e)
			return
		}
		u.Ops = &ops
	}
	if a := b.Attributes; a != nil {
		u.Enabled, u.NotBefore, u.Expires = a.Enabled, a.NotBefore, a.Expires
		if a.Exportable != nil {
			rq.fail(kverror.BadParameter("The attribute 'exportable' is set when a key is made and cannot be updated."))
			return
		}
	}
	k, err := rq.v.keyStore().Update(rq.param("name"), rq.param("version"), u)
	if err != nil {
		rq.fail(keyError(err, nameAndVersion(rq)))
		return
	}
	rq.ok(rq.keyBundle(k))
}

// GET /keys/{name}/versions: a page of a key's versions (KeyItem, with the
// version in kid).
func listKeyVersions(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	name := rq.param("name")
	versions, next, err := rq.v.keyStore().Versions(name, p.after, p.size)
	if err != nil {
		rq.fail(keyError(err, name))
		return
	}
	res := listResult[keyItem]{Value: make([]keyItem, 0, len(versions))}
	for _, k := range versions {
		res.Value = append(res.Value, rq.keyItem(k, true))
	}
	if len(versions) > 0 {
		name = versions[0].Name
	}
	res.NextLink = rq.nextLink("/keys/"+name+"/versions", p, next)
	rq.ok(res)
}

// importKeyBody is KeyImportParameters.
type importKeyBody struct {
	HSM           *bool             `json:"Hsm"`
	Key           *importJWK        `json:"key"`
	Attributes    *keyAttributesIn  `json:"attributes"`
	Tags          map[string]string `json:"tags"`
	ReleasePolicy json.RawMessage   `json:"release_policy"`
}

// classifyKeyImport is the class of an import: the profile's ImportClass of
// the key the body holds (SecretsCreate under 2025). A body that does not
// hold a key Key Vault imports uses no quota; importKey answers 400.
func classifyKeyImport(rq *request) (limits.Class, bool) {
	var b importKeyBody
	if !peekBody(rq, &b) || b.Key == nil {
		return "", false
	}
	spec, err := b.Key.spec(b.HSM != nil && *b.HSM)
	if err != nil {
		return "", false
	}
	return rq.v.cfg.Profile.ImportClass(spec), true
}

// PUT /keys/{name}: import a key (a new version when the name exists) from a
// JWK holding its private part; the material is checked (jwkimport.go).
func importKey(rq *request) {
	var b importKeyBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if b.Key == nil {
		rq.fail(kverror.BadParameter("The parameter 'key' is required to import a key."))
		return
	}
	k, e := b.Key.toKey(b.HSM != nil && *b.HSM)
	if e != nil {
		rq.fail(e)
		return
	}
	if e := applyKeyProperties(&k, b.Key.KeyOps, b.Attributes, b.Tags, b.ReleasePolicy); e != nil {
		rq.fail(e)
		return
	}
	created, err := rq.v.keyStore().Create(rq.param("name"), k)
	if err != nil {
		rq.fail(keyError(err, rq.param("name")))
		return
	}
	rq.ok(rq.keyBundle(created))
}
