package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

// declaredRoute is what TestEveryRouteIsDeclared holds of one route: an
// example request and the quota class and permission it must have.
type declaredRoute struct {
	example string // path within the vault
	body    any    // for routes whose class reads the body
	class   limits.Class
	perm    string // "collection permission"
}

// Key "k" is an RSA 2048 software key; secret "s" exists.
var (
	rsaOther  = limits.KeyClass(limits.RSA2048, false, false)
	rsaCreate = limits.KeyClass(limits.RSA2048, false, true)
)

// declaredRoutes is every route the vault serves, by "METHOD pattern".
var declaredRoutes = map[string]declaredRoute{
	"GET secrets":                        {"/secrets", nil, limits.Secrets, "secrets list"},
	"PUT secrets/{name}":                 {"/secrets/s", nil, limits.SecretsCreate, "secrets set"},
	"GET secrets/{name}":                 {"/secrets/s", nil, limits.Secrets, "secrets get"},
	"PATCH secrets/{name}":               {"/secrets/s", nil, limits.Secrets, "secrets set"},
	"DELETE secrets/{name}":              {"/secrets/s", nil, limits.Secrets, "secrets delete"},
	"GET secrets/{name}/versions":        {"/secrets/s/versions", nil, limits.Secrets, "secrets list"},
	"GET secrets/{name}/{version}":       {"/secrets/s/0123456789abcdef0123456789abcdef", nil, limits.Secrets, "secrets get"},
	"PATCH secrets/{name}/{version}":     {"/secrets/s/0123456789abcdef0123456789abcdef", nil, limits.Secrets, "secrets set"},
	"GET deletedsecrets":                 {"/deletedsecrets", nil, limits.Secrets, "secrets list"},
	"GET deletedsecrets/{name}":          {"/deletedsecrets/s", nil, limits.Secrets, "secrets list"},
	"DELETE deletedsecrets/{name}":       {"/deletedsecrets/s", nil, limits.Secrets, "secrets purge"},
	"POST deletedsecrets/{name}/recover": {"/deletedsecrets/s/recover", nil, limits.Secrets, "secrets recover"},
	"POST secrets/{name}/backup":         {"/secrets/s/backup", nil, limits.Secrets, "secrets backup"},
	"POST secrets/restore":               {"/secrets/restore", nil, limits.Secrets, "secrets restore"},

	"GET keys":                             {"/keys", nil, limits.Secrets, "keys list"},
	"POST keys/{name}/create":              {"/keys/k/create", map[string]any{"kty": "RSA", "key_size": 2048}, rsaCreate, "keys create"},
	"GET keys/{name}":                      {"/keys/k", nil, rsaOther, "keys get"},
	"GET keys/{name}/{version}":            {"/keys/k/0123456789abcdef0123456789abcdef", nil, rsaOther, "keys get"},
	"DELETE keys/{name}":                   {"/keys/k", nil, rsaOther, "keys delete"},
	"POST keys/{name}/{version}/sign":      {"/keys/k/v1/sign", nil, rsaOther, "keys sign"},
	"POST keys/{name}/sign":                {"/keys/k/sign", nil, rsaOther, "keys sign"},
	"POST keys/{name}/{version}/verify":    {"/keys/k/v1/verify", nil, rsaOther, "keys verify"},
	"POST keys/{name}/verify":              {"/keys/k/verify", nil, rsaOther, "keys verify"},
	"POST keys/{name}/{version}/encrypt":   {"/keys/k/v1/encrypt", nil, rsaOther, "keys encrypt"},
	"POST keys/{name}/encrypt":             {"/keys/k/encrypt", nil, rsaOther, "keys encrypt"},
	"POST keys/{name}/{version}/decrypt":   {"/keys/k/v1/decrypt", nil, rsaOther, "keys decrypt"},
	"POST keys/{name}/decrypt":             {"/keys/k/decrypt", nil, rsaOther, "keys decrypt"},
	"POST keys/{name}/{version}/wrapkey":   {"/keys/k/v1/wrapkey", nil, rsaOther, "keys wrapKey"},
	"POST keys/{name}/wrapkey":             {"/keys/k/wrapkey", nil, rsaOther, "keys wrapKey"},
	"POST keys/{name}/{version}/unwrapkey": {"/keys/k/v1/unwrapkey", nil, rsaOther, "keys unwrapKey"},
	"POST keys/{name}/unwrapkey":           {"/keys/k/unwrapkey", nil, rsaOther, "keys unwrapKey"},

	"PUT keys/{name}":                       {"/keys/k", importBody, limits.SecretsCreate, "keys import"},
	"PATCH keys/{name}":                     {"/keys/k", nil, rsaOther, "keys update"},
	"PATCH keys/{name}/{version}":           {"/keys/k/0123456789abcdef0123456789abcdef", nil, rsaOther, "keys update"},
	"GET keys/{name}/versions":              {"/keys/k/versions", nil, rsaOther, "keys list"},
	"POST keys/{name}/backup":               {"/keys/k/backup", nil, rsaOther, "keys backup"},
	"POST keys/restore":                     {"/keys/restore", nil, limits.Secrets, "keys restore"},
	"POST keys/{name}/rotate":               {"/keys/k/rotate", nil, rsaCreate, "keys rotate"},
	"GET keys/{name}/rotationpolicy":        {"/keys/k/rotationpolicy", nil, rsaOther, "keys getrotationpolicy"},
	"PUT keys/{name}/rotationpolicy":        {"/keys/k/rotationpolicy", nil, rsaOther, "keys setrotationpolicy"},
	"POST keys/{name}/release":              {"/keys/k/release", nil, rsaOther, "keys release"},
	"POST keys/{name}/{version}/release":    {"/keys/k/v1/release", nil, rsaOther, "keys release"},
	"GET deletedkeys":                       {"/deletedkeys", nil, limits.Secrets, "keys list"},
	"GET deletedkeys/{name}":                {"/deletedkeys/k", nil, rsaOther, "keys get"},
	"DELETE deletedkeys/{name}":             {"/deletedkeys/k", nil, rsaOther, "keys purge"},
	"POST deletedkeys/{name}/recover":       {"/deletedkeys/k/recover", nil, rsaOther, "keys recover"},
	"POST rng":                              {"/rng", nil, limits.Secrets, "keys get"},
	"GET keys/{name}/attestation":           {"/keys/k/attestation", nil, rsaOther, "keys get"},
	"GET keys/{name}/{version}/attestation": {"/keys/k/v1/attestation", nil, rsaOther, "keys get"},

	// Every certificate operation but import is a vault transaction.
	"GET certificates":                        {"/certificates", nil, limits.Secrets, "certificates list"},
	"GET certificates/contacts":               {"/certificates/contacts", nil, limits.Secrets, "certificates managecontacts"},
	"PUT certificates/contacts":               {"/certificates/contacts", nil, limits.Secrets, "certificates managecontacts"},
	"DELETE certificates/contacts":            {"/certificates/contacts", nil, limits.Secrets, "certificates managecontacts"},
	"GET certificates/issuers":                {"/certificates/issuers", nil, limits.Secrets, "certificates listissuers"},
	"GET certificates/issuers/{name}":         {"/certificates/issuers/i", nil, limits.Secrets, "certificates getissuers"},
	"PUT certificates/issuers/{name}":         {"/certificates/issuers/i", nil, limits.Secrets, "certificates setissuers"},
	"PATCH certificates/issuers/{name}":       {"/certificates/issuers/i", nil, limits.Secrets, "certificates setissuers"},
	"DELETE certificates/issuers/{name}":      {"/certificates/issuers/i", nil, limits.Secrets, "certificates deleteissuers"},
	"POST certificates/restore":               {"/certificates/restore", nil, limits.Secrets, "certificates restore"},
	"POST certificates/{name}/create":         {"/certificates/c/create", nil, limits.Secrets, "certificates create"},
	"POST certificates/{name}/backup":         {"/certificates/c/backup", nil, limits.Secrets, "certificates backup"},
	"GET certificates/{name}/pending":         {"/certificates/c/pending", nil, limits.Secrets, "certificates get"},
	"PATCH certificates/{name}/pending":       {"/certificates/c/pending", nil, limits.Secrets, "certificates update"},
	"DELETE certificates/{name}/pending":      {"/certificates/c/pending", nil, limits.Secrets, "certificates update"},
	"POST certificates/{name}/pending/merge":  {"/certificates/c/pending/merge", nil, limits.Secrets, "certificates create"},
	"GET certificates/{name}/policy":          {"/certificates/c/policy", nil, limits.Secrets, "certificates get"},
	"PATCH certificates/{name}/policy":        {"/certificates/c/policy", nil, limits.Secrets, "certificates update"},
	"GET certificates/{name}/versions":        {"/certificates/c/versions", nil, limits.Secrets, "certificates list"},
	"GET certificates/{name}":                 {"/certificates/c", nil, limits.Secrets, "certificates get"},
	"PATCH certificates/{name}":               {"/certificates/c", nil, limits.Secrets, "certificates update"},
	"DELETE certificates/{name}":              {"/certificates/c", nil, limits.Secrets, "certificates delete"},
	"GET certificates/{name}/{version}":       {"/certificates/c/0123456789abcdef0123456789abcdef", nil, limits.Secrets, "certificates get"},
	"PATCH certificates/{name}/{version}":     {"/certificates/c/0123456789abcdef0123456789abcdef", nil, limits.Secrets, "certificates update"},
	"GET deletedcertificates":                 {"/deletedcertificates", nil, limits.Secrets, "certificates list"},
	"GET deletedcertificates/{name}":          {"/deletedcertificates/c", nil, limits.Secrets, "certificates get"},
	"DELETE deletedcertificates/{name}":       {"/deletedcertificates/c", nil, limits.Secrets, "certificates purge"},
	"POST deletedcertificates/{name}/recover": {"/deletedcertificates/c/recover", nil, limits.Secrets, "certificates recover"},
	// Under the default profile (2025) a certificate import is in the row it
	// shares with secret CREATE; TestCertImportClassByProfile holds 2021.
	"POST certificates/{name}/import": {"/certificates/c/import", rsaImportBody{}, limits.SecretsCreate, "certificates import"},
}

// importBody is an import of an RSA 2048 key as far as its class needs
// (the size of n).
var importBody = map[string]any{"key": map[string]any{"kty": "RSA", "n": b64(append([]byte{0x80}, make([]byte, 255)...))}}

// routeEnv is a vault (of the default profile, or the one named) holding
// secret "s" and RSA 2048 key "k".
func routeEnv(t *testing.T, profile ...string) *env {
	t.Helper()
	cfg := Config{}
	if len(profile) > 0 {
		cfg.Profile = limits.MustGet(profile[0])
	}
	e := newEnv(t, cfg)
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/s", map[string]any{"value": "x"}).Code)
	require.Equal(t, http.StatusOK, e.call(http.MethodPost, "/keys/k/create", map[string]any{"kty": "RSA"}).Code)
	return e
}

// TestEveryRouteIsDeclared holds, for every route, that its example path
// matches it and no other, and its quota class and permission.
func TestEveryRouteIsDeclared(t *testing.T) {
	t.Parallel()
	e := routeEnv(t)
	var served []string
	for _, rs := range e.v.routes.byCollection {
		for _, r := range rs {
			served = append(served, r.method+" "+r.pattern)
		}
	}
	sort.Strings(served)
	var listed []string
	for k := range declaredRoutes {
		listed = append(listed, k)
	}
	sort.Strings(listed)
	require.Equal(t, listed, served, "every served route is in declaredRoutes, and only those")

	for name, d := range declaredRoutes {
		rt, rq := matchExample(t, e, name, d)
		assert.Equal(t, d.perm, string(rt.need.Collection)+" "+rt.need.Permission, name)
		c, ok := rt.quotaClass(rq)
		assert.True(t, ok, name)
		assert.Equal(t, d.class, c, name)
	}
}

// TestClientClassifierAgrees holds that the classifier assert and the plots
// use on a stored run (limits.NewClassifier) names the emulator's class for
// every route, in the default vault and in a named one.
func TestClientClassifierAgrees(t *testing.T) {
	t.Parallel()
	for _, profile := range limits.Names() {
		e := routeEnv(t, profile)
		classify := limits.NewClassifierFor(limits.MustGet(profile), map[string]limits.KeySpec{"k": {Type: limits.RSA2048}})
		for name, d := range declaredRoutes {
			rt, rq := matchExample(t, e, name, d)
			want, ok := rt.quotaClass(rq)
			require.True(t, ok, name)
			if name == "PUT keys/{name}" {
				assert.Equal(t, limits.MustGet(profile).ImportClass(limits.KeySpec{Type: limits.RSA2048}), want, profile)
			}
			for _, prefix := range []string{"", "/vaults/b"} {
				got, ok := classify(rt.method, base+prefix+d.example+"?api-version=7.6")
				assert.True(t, ok, name)
				assert.Equal(t, want, got, "%s %s (%s)", profile, name, prefix)
			}
		}
	}
}

// matchExample routes d's example and returns the route with a request on it.
func matchExample(t *testing.T, e *env, name string, d declaredRoute) (*route, *request) {
	t.Helper()
	method := name[:bytes.IndexByte([]byte(name), ' ')]
	rt, params, _, rerr := e.v.routes.match(method, d.example)
	require.Nil(t, rerr, name)
	require.Equal(t, name, rt.method+" "+rt.pattern, "the example %s matches its own route", d.example)
	var b []byte
	if d.body != nil {
		var err error
		b, err = json.Marshal(d.body)
		require.NoError(t, err)
	}
	r := httptest.NewRequest(method, base+d.example, bytes.NewReader(b))
	return rt, &request{w: httptest.NewRecorder(), r: r, v: e.v, params: params, route: rt}
}

// TestPathWordsAreNeverVersions: a Key Vault path word where a version
// would be is not served (yet) or its own route, never a version id.
func TestPathWordsAreNeverVersions(t *testing.T) {
	e := routeEnv(t)
	for w := range pathWords {
		rt, _, _, _ := e.v.routes.match(http.MethodGet, "/keys/k/"+w)
		if rt != nil {
			assert.NotContains(t, rt.pattern, "{version}", w)
		}
		rt, _, _, _ = e.v.routes.match(http.MethodGet, "/secrets/s/"+w)
		if rt != nil {
			assert.NotContains(t, rt.pattern, "{version}", w)
		}
	}
	w := e.call(http.MethodGet, "/keys/k/rotationpolicy", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, base+"/keys/k/rotationpolicy", decode[map[string]any](t, w)["id"])
	w = e.call(http.MethodGet, "/keys/k/attestation", nil)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, kvError(t, w).Message, "Managed HSM", "attestation is its own route, not version \"attestation\"")
	w = e.call(http.MethodGet, "/keys/k/pending", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Equal(t, "NotFound", kvError(t, w).Code, "an unserved path word is not served, not KeyNotFound")
}

// TestReadRoutesChangeNothing holds the state declarations to what the
// routes do: a route declared to read leaves the stores exactly as they were
// (so --data loses nothing by not writing after it), and its example
// request reaches the handler.
func TestReadRoutesChangeNothing(t *testing.T) {
	t.Parallel()
	e := routeEnv(t)
	snapshot := func() string {
		keys, err := e.v.keys.Snapshot(encodeMaterial)
		require.NoError(t, err)
		b, err := json.Marshal(struct {
			S any
			K any
		}{e.v.secrets.Snapshot(), keys})
		require.NoError(t, err)
		return string(b)
	}
	changed := 0
	for name, d := range declaredRoutes {
		rt, _ := matchExample(t, e, name, d)
		before := snapshot()
		w := e.call(rt.method, d.example, d.body)
		after := snapshot()
		if rt.state == reads {
			assert.Equal(t, before, after, "%s is declared to read but changed the stores (%d)", name, w.Code)
		} else if before != after {
			changed++
		}
	}
	assert.Positive(t, changed, "some example requests of changing routes did change the stores")
}
