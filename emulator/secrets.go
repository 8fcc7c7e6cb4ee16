package emulator

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// secretRoutes are the operations on live secrets.
func secretRoutes(*Vault) []route {
	return []route{
		{method: http.MethodGet, pattern: "secrets", handle: listSecrets, classify: classifySecret, need: secretsNeed("list"), state: reads},
		{method: http.MethodPut, pattern: "secrets/{name}", handle: setSecret, classify: classifySecret, need: secretsNeed("set"), state: changes},
		{method: http.MethodGet, pattern: "secrets/{name}", handle: getSecret, classify: classifySecret, need: secretsNeed("get"), state: reads},
		{method: http.MethodPatch, pattern: "secrets/{name}", handle: updateSecret, classify: classifySecret, need: secretsNeed("set"), state: changes},
		{method: http.MethodDelete, pattern: "secrets/{name}", handle: deleteSecret, classify: classifySecret, need: secretsNeed("delete"), state: changes},
		{method: http.MethodGet, pattern: "secrets/{name}/versions", handle: listSecretVersions, classify: classifySecret, need: secretsNeed("list"), state: reads},
		{method: http.MethodGet, pattern: "secrets/{name}/{version}", handle: getSecret, classify: classifySecret, need: secretsNeed("get"), state: reads},
		{method: http.MethodPatch, pattern: "secrets/{name}/{version}", handle: updateSecret, classify: classifySecret, need: secretsNeed("set"), state: changes},
		{method: http.MethodPost, pattern: "secrets/{name}/backup", handle: backupSecret, classify: classifySecret, need: secretsNeed("backup"), state: reads},
		{method: http.MethodPost, pattern: "secrets/restore", handle: restoreSecret, classify: classifySecret, need: secretsNeed("restore"), state: changes},
	}
}

// Documented limits of a secret's parts (Key Vault "About secrets"; tag limits
// as for Azure resource tags).
const (
	maxValueBytes     = 25 * 1024
	maxContentTypeLen = 255
	maxTags           = 15
	maxTagNameLength  = 512
	maxTagValueLength = 256
)

// attributesIn are the settable SecretAttributes; created, updated and the
// recovery fields are read-only and ignored.
type attributesIn struct {
	Enabled   *bool  `json:"enabled"`
	NotBefore *int64 `json:"nbf"`
	Expires   *int64 `json:"exp"`
}

// setSecretBody is SecretSetParameters and, without value,
// SecretUpdateParameters.
type setSecretBody struct {
	Value       *string           `json:"value"`
	ContentType *string           `json:"contentType"`
	Attributes  *attributesIn     `json:"attributes"`
	Tags        map[string]string `json:"tags"`
}

// PUT /secrets/{name}: a new version, answered with its bundle and value.
func setSecret(rq *request) {
	var b setSecretBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if b.Value == nil {
		rq.fail(kverror.BadParameter("The parameter 'value' is required to set a secret."))
		return
	}
	if len(*b.Value) > maxValueBytes {
		rq.fail(kverror.BadParameter("The secret value is " + strconv.Itoa(len(*b.Value)) +
			" bytes long; the maximum size of a secret value is " + strconv.Itoa(maxValueBytes) + " bytes."))
		return
	}
	if e := checkProperties(b.ContentType, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	p := store.SetParams{Value: *b.Value, Tags: b.Tags}
	if b.ContentType != nil {
		p.ContentType = *b.ContentType
	}
	if a := b.Attributes; a != nil {
		p.Enabled, p.NotBefore, p.Expires = a.Enabled, a.NotBefore, a.Expires
	}
	s, err := rq.v.secrets.Set(rq.param("name"), p)
	if err != nil {
		rq.fail(secretError(err, rq.param("name")))
		return
	}
	rq.ok(rq.bundle(s, true))
}

func checkProperties(contentType *string, tags map[string]string) *kverror.Error {
	if contentType != nil && utf8.RuneCountInString(*contentType) > maxContentTypeLen {
		return kverror.BadParameter("The contentType is longer than " + strconv.Itoa(maxContentTypeLen) + " characters.")
	}
	if len(tags) > maxTags {
		return kverror.BadParameter("A secret can have at most " + strconv.Itoa(maxTags) + " tags; " + strconv.Itoa(len(tags)) + " were given.")
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > maxTagNameLength {
			return kverror.BadParameter("Tag names must be 1-" + strconv.Itoa(maxTagNameLength) + " characters long.")
		}
		if utf8.RuneCountInString(v) > maxTagValueLength {
			return kverror.BadParameter("Tag values must be at most " + strconv.Itoa(maxTagValueLength) + " characters long.")
		}
	}
	return nil
}

// GET /secrets/{name}[/{version}]: the version (latest when none) with its
// value. A disabled version is a 403, as in Key Vault.
func getSecret(rq *request) {
	s, err := rq.v.secrets.Get(rq.param("name"), rq.param("version"))
	if err != nil {
		rq.fail(secretError(err, nameAndVersion(rq)))
		return
	}
	if !s.Attributes.Enabled {
		rq.fail(errSecretDisabled())
		return
	}
	rq.ok(rq.bundle(s, true))
}

// PATCH /secrets/{name}[/{version}]: change contentType, attributes or tags;
// answered without the value.
func updateSecret(rq *request) {
	var b setSecretBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if e := checkProperties(b.ContentType, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	p := store.UpdateParams{ContentType: b.ContentType, Tags: b.Tags}
	if a := b.Attributes; a != nil {
		p.Enabled, p.NotBefore, p.Expires = a.Enabled, a.NotBefore, a.Expires
	}
	s, err := rq.v.secrets.Update(rq.param("name"), rq.param("version"), p)
	if err != nil {
		rq.fail(secretError(err, nameAndVersion(rq)))
		return
	}
	rq.ok(rq.bundle(s, false))
}

// DELETE /secrets/{name}: soft delete, answered with the deleted bundle.
func deleteSecret(rq *request) {
	d, err := rq.v.secrets.Delete(rq.param("name"))
	if err != nil {
		rq.fail(secretError(err, rq.param("name")))
		return
	}
	rq.ok(rq.deletedBundle(d, false))
}

// GET /secrets: a page of secrets, without values.
func listSecrets(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	secrets, next := rq.v.secrets.List(p.after, p.size)
	res := listResult[secretBundle]{Value: make([]secretBundle, 0, len(secrets))}
	for _, s := range secrets {
		res.Value = append(res.Value, rq.item(s))
	}
	res.NextLink = rq.nextLink("/secrets", p, next)
	rq.ok(res)
}

// GET /secrets/{name}/versions: a page of one secret's versions, without
// values.
func listSecretVersions(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	name := rq.param("name")
	versions, next, err := rq.v.secrets.Versions(name, p.after, p.size)
	if err != nil {
		rq.fail(secretError(err, name))
		return
	}
	res := listResult[secretBundle]{Value: make([]secretBundle, 0, len(versions))}
	for _, s := range versions {
		res.Value = append(res.Value, rq.bundle(s, false))
	}
	if len(versions) > 0 {
		name = versions[0].Name
	}
	res.NextLink = rq.nextLink("/secrets/"+name+"/versions", p, next)
	rq.ok(res)
}

func nameAndVersion(rq *request) string {
	if v := rq.param("version"); v != "" {
		return rq.param("name") + "/" + v
	}
	return rq.param("name")
}

// secretError maps the store's refusals to Key Vault's errors. The texts are
// the real service's: SecretNotFound from Azure/azure-sdk-for-js#25489, the
// deleted-name conflict from ironmansoftware/powershell-universal#1990 and
// external-secrets/external-secrets#3519.
func secretError(err error, nameOrID string) *kverror.Error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return kverror.New(http.StatusNotFound, "SecretNotFound",
			"A secret with (name/id) "+nameOrID+" was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182")
	case errors.Is(err, store.ErrDeleted):
		return kverror.New(http.StatusConflict, "Conflict",
			"Secret "+nameOrID+" is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.").
			WithInner("ObjectIsDeletedButRecoverable")
	default:
		return kverror.Internal("The secret store failed.")
	}
}

// errSecretDisabled is Key Vault's answer to reading a disabled secret
// (Azure/azure-sdk-for-js#24756).
func errSecretDisabled() *kverror.Error {
	return kverror.New(http.StatusForbidden, "Forbidden", "Operation get is not allowed on a disabled secret.").
		WithInner("SecretDisabled")
}
