package emulator

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var secretVersionID = regexp.MustCompile(`^https://vault\.test/secrets/([0-9A-Za-z-]+)/([0-9a-f]{32})$`)

type bundle struct {
	Value       *string           `json:"value"`
	ContentType string            `json:"contentType"`
	ID          string            `json:"id"`
	Attributes  map[string]any    `json:"attributes"`
	Tags        map[string]string `json:"tags"`
	RecoveryID  string            `json:"recoveryId"`
	DeletedDate int64             `json:"deletedDate"`
	PurgeDate   int64             `json:"scheduledPurgeDate"`
}

type list struct {
	Value    []bundle `json:"value"`
	NextLink *string  `json:"nextLink"`
}

func versionOf(t *testing.T, id string) string {
	t.Helper()
	m := secretVersionID.FindStringSubmatch(id)
	require.NotNil(t, m, id)
	return m[2]
}

func TestSecretLifecycle(t *testing.T) {
	e := newEnv(t, Config{})

	// Set: the answer is the new version, with its value.
	w := e.call(http.MethodPut, "/secrets/db-password", map[string]any{
		"value": "s3cret", "contentType": "text/plain",
		"attributes": map[string]any{"nbf": 1893459661},
		"tags":       map[string]string{"env": "test"},
	})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	requireCommonHeaders(t, w)
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	assert.True(t, strings.HasPrefix(w.Body.String(), `{"value":"s3cret","contentType":"text/plain","id":"https://vault.test/secrets/db-password/`),
		"members in the real service's order: %s", w.Body.String())
	v1 := decode[bundle](t, w)
	ver1 := versionOf(t, v1.ID)
	assert.Equal(t, map[string]any{
		"enabled": true, "nbf": float64(1893459661),
		"created": float64(t0.Unix()), "updated": float64(t0.Unix()),
		"recoveryLevel": "Recoverable+Purgeable", "recoverableDays": float64(90),
	}, v1.Attributes)
	assert.Equal(t, map[string]string{"env": "test"}, v1.Tags)

	e.clk.Advance(time.Minute)
	w = e.call(http.MethodPut, "/secrets/DB-Password", map[string]any{"value": ""})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	v2 := decode[bundle](t, w)
	require.NotNil(t, v2.Value)
	assert.Equal(t, "", *v2.Value, "an empty value is a value")
	assert.True(t, strings.HasPrefix(v2.ID, base+"/secrets/db-password/"), "the name keeps its first spelling")
	assert.Nil(t, v2.Tags)
	assert.NotContains(t, w.Body.String(), `"tags"`)
	assert.NotContains(t, w.Body.String(), `"contentType"`)

	// Get: latest, by version, with the Azure SDK's trailing slash.
	w = e.call(http.MethodGet, "/secrets/db-password", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, v2.ID, decode[bundle](t, w).ID)
	w = e.call(http.MethodGet, "/secrets/db-password/"+ver1, nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "s3cret", *decode[bundle](t, w).Value)
	w = e.call(http.MethodGet, "/secrets/db-password/"+strings.ToUpper(ver1), nil)
	assert.Equal(t, http.StatusOK, w.Code, "version ids are case-insensitive")

	// Update: properties change, the answer has no value.
	e.clk.Advance(time.Minute)
	w = e.call(http.MethodPatch, "/secrets/db-password/"+ver1, map[string]any{"attributes": map[string]any{"exp": 2208992461}, "contentType": "x"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	u := decode[bundle](t, w)
	assert.Nil(t, u.Value)
	assert.Equal(t, "x", u.ContentType)
	assert.Equal(t, float64(2208992461), u.Attributes["exp"])
	assert.Equal(t, float64(t0.Add(2*time.Minute).Unix()), u.Attributes["updated"])
	assert.Equal(t, map[string]string{"env": "test"}, u.Tags, "tags not given are kept")

	// A disabled version cannot be read.
	w = e.call(http.MethodPatch, "/secrets/db-password/", map[string]any{"attributes": map[string]any{"enabled": false}})
	require.Equal(t, http.StatusOK, w.Code)
	w = e.call(http.MethodGet, "/secrets/db-password", nil)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, `{"error":{"code":"Forbidden","message":"Operation get is not allowed on a disabled secret.","innererror":{"code":"SecretDisabled"}}}`, w.Body.String())
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets/db-password/"+ver1, nil).Code, "the other version is enabled")

	// Delete: the answer is the deleted bundle, without the value.
	e.clk.Advance(time.Minute)
	w = e.call(http.MethodDelete, "/secrets/db-password", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.True(t, strings.HasPrefix(w.Body.String(), `{"recoveryId":"https://vault.test/deletedsecrets/db-password","deletedDate":`), w.Body.String())
	d := decode[bundle](t, w)
	assert.Nil(t, d.Value)
	assert.Equal(t, v2.ID, d.ID)
	deletedAt := t0.Add(3 * time.Minute)
	assert.Equal(t, deletedAt.Unix(), d.DeletedDate)
	assert.Equal(t, deletedAt.Add(90*24*time.Hour).Unix(), d.PurgeDate)

	w = e.call(http.MethodGet, "/secrets/db-password", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Equal(t, `{"error":{"code":"SecretNotFound","message":"A secret with (name/id) db-password was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"}}`, w.Body.String())
	w = e.call(http.MethodPut, "/secrets/db-password", map[string]any{"value": "again"})
	assert.Equal(t, http.StatusConflict, w.Code)
	assert.Equal(t, `{"error":{"code":"Conflict","message":"Secret db-password is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.","innererror":{"code":"ObjectIsDeletedButRecoverable"}}}`, w.Body.String())

	// Deleted secrets: get, list, recover.
	w = e.call(http.MethodGet, "/deletedsecrets/db-password", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, d, decode[bundle](t, w))
	w = e.call(http.MethodGet, "/deletedsecrets", nil)
	require.Equal(t, http.StatusOK, w.Code)
	dl := decode[list](t, w)
	require.Len(t, dl.Value, 1)
	assert.Equal(t, base+"/secrets/db-password", dl.Value[0].ID, "list items name the secret, not a version")
	assert.Equal(t, base+"/deletedsecrets/db-password", dl.Value[0].RecoveryID)
	assert.Nil(t, dl.NextLink)

	w = e.call(http.MethodPost, "/deletedsecrets/db-password/recover", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Nil(t, decode[bundle](t, w).Value)
	assert.Equal(t, v2.ID, decode[bundle](t, w).ID)
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets/db-password/"+ver1, nil).Code, "every version came back")
	w = e.call(http.MethodGet, "/deletedsecrets/db-password", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Equal(t, `{"error":{"code":"SecretNotFound","message":"Deleted Secret not found: db-password"}}`, w.Body.String())

	// Purge: 204, no body, still Key Vault's headers.
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/db-password", nil).Code)
	w = e.call(http.MethodDelete, "/deletedsecrets/db-password", nil)
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Empty(t, w.Body.String())
	requireCommonHeaders(t, w)
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodDelete, "/deletedsecrets/db-password", nil).Code)
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodPost, "/deletedsecrets/db-password/recover", nil).Code)
	assert.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/db-password", map[string]any{"value": "fresh"}).Code)
}

func TestNotFoundNamesTheVersion(t *testing.T) {
	e := newEnv(t, Config{})
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/a", map[string]any{"value": "x"}).Code)
	w := e.call(http.MethodGet, "/secrets/a/00000000000000000000000000000000", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Contains(t, kvError(t, w).Message, "(name/id) a/00000000000000000000000000000000 was not found")
	for _, tc := range []struct{ method, path string }{
		{http.MethodDelete, "/secrets/nope"},
		{http.MethodPatch, "/secrets/nope"},
		{http.MethodGet, "/secrets/nope/versions"},
	} {
		var body any
		if tc.method == http.MethodPatch {
			body = map[string]any{}
		}
		w := e.call(tc.method, tc.path, body)
		assert.Equal(t, http.StatusNotFound, w.Code, tc.method+" "+tc.path)
		assert.Equal(t, "SecretNotFound", kvError(t, w).Code)
	}
}

func TestBadBodiesGet400s(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	for _, tc := range []struct {
		name   string
		method string
		body   any
		status int
		text   string
	}{
		{"no value", http.MethodPut, map[string]any{"contentType": "x"}, 400, "'value' is required"},
		{"null value", http.MethodPut, `{"value":null}`, 400, "'value' is required"},
		{"value too large", http.MethodPut, map[string]any{"value": strings.Repeat("x", 25*1024+1)}, 400, "maximum size of a secret value is 25600 bytes"},
		{"malformed JSON", http.MethodPut, `{"value":`, 400, "not valid JSON"},
		{"not an object", http.MethodPut, `[1,2]`, 400, "not valid JSON"},
		{"wrong type", http.MethodPut, `{"value":42}`, 400, "'value' must be string"},
		{"wrong attribute type", http.MethodPut, `{"value":"x","attributes":{"enabled":"yes"}}`, 400, "must be bool"},
		{"empty body", http.MethodPut, "", 400, "body is empty"},
		{"body over 1 MiB", http.MethodPut, `{"value":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "larger than 1048576 bytes"},
		{"long content type", http.MethodPut, map[string]any{"value": "x", "contentType": strings.Repeat("c", 256)}, 400, "contentType is longer than 255"},
		{"too many tags", http.MethodPut, map[string]any{"value": "x", "tags": manyTags(16)}, 400, "at most 15 tags"},
		{"long tag value", http.MethodPut, map[string]any{"value": "x", "tags": map[string]string{"k": strings.Repeat("v", 257)}}, 400, "Tag values"},
		{"patch malformed", http.MethodPatch, `{`, 400, "not valid JSON"},
	} {
		w := e.call(tc.method, "/secrets/a", tc.body)
		assert.Equal(t, tc.status, w.Code, tc.name)
		ke := kvError(t, w)
		assert.Contains(t, ke.Message, tc.text, tc.name)
		assert.NotContains(t, ke.Message, "xxxxxxxx", "%s: bodies are never echoed", tc.name)
		requireCommonHeaders(t, w)
	}
	w := e.call(http.MethodPut, "/secrets/a", map[string]any{"value": strings.Repeat("x", 25*1024), "tags": manyTags(15)})
	assert.Equal(t, http.StatusOK, w.Code, "exactly at the limits is fine")
}

func manyTags(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[strings.Repeat("k", i+1)] = "v"
	}
	return m
}

func TestNamesAreValidated(t *testing.T) {
	e := newEnv(t, Config{})
	for _, name := range []string{"under_score", "dot.name", "space%20name", "ümlaut", strings.Repeat("a", 128)} {
		w := e.call(http.MethodGet, "/secrets/"+name, nil)
		assert.Equal(t, http.StatusBadRequest, w.Code, name)
		ke := kvError(t, w)
		assert.Equal(t, "BadParameter", ke.Code, name)
		assert.Contains(t, ke.Message, "invalid name", name)
	}
	w := e.call(http.MethodGet, "/secrets//versions", nil)
	assert.Equal(t, http.StatusBadRequest, w.Code, "an empty name")
	for _, name := range []string{strings.Repeat("a", 127), "A-1", "0"} {
		w := e.call(http.MethodPut, "/secrets/"+name, map[string]any{"value": "x"})
		assert.Equal(t, http.StatusOK, w.Code, name)
	}
	w = e.call(http.MethodPost, "/deletedsecrets/bad_name/recover", nil)
	assert.Equal(t, http.StatusBadRequest, w.Code)
}

func TestAPIVersionIsRequiredAndChecked(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.send(http.MethodGet, "/secrets", nil, "Bearer "+e.token)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	ke := kvError(t, w)
	assert.Equal(t, "BadParameter", ke.Code)
	assert.Contains(t, ke.Message, "api-version")

	w = e.send(http.MethodGet, "/secrets?api-version=7.7", nil, "Bearer "+e.token)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, `{"error":{"code":"BadParameter","message":"The specified version (7.7) is not recognized. Consider using the latest supported version (2026-04-01)."}}`, w.Body.String())

	w = e.send(http.MethodGet, "/secrets?api-version=", nil, "Bearer "+e.token)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, kvError(t, w).Message, "The specified version () is not recognized")

	for _, v := range []string{"2016-10-01", "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.6-preview.2", "2025-07-01", "2026-04-01"} {
		w := e.send(http.MethodGet, "/secrets?api-version="+v, nil, "Bearer "+e.token)
		assert.Equal(t, http.StatusOK, w.Code, v)
	}
}
