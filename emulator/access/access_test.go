package access

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	here  = netip.MustParseAddr("127.0.0.1")
	there = netip.MustParseAddr("127.0.0.3")
)

func caller(oid string, addr netip.Addr) Caller {
	return Caller{ClientID: "app-" + oid, ObjectID: oid, TenantID: "t", Addr: addr}
}

func op(t *testing.T, method, path string) Operation {
	t.Helper()
	o, ok := Classify(method, path)
	require.True(t, ok, "%s %s", method, path)
	return o
}

func TestClassify(t *testing.T) {
	cases := map[string]string{
		"GET /secrets/a":                 "secrets get",
		"GET /secrets/a/v1":              "secrets get",
		"GET /secrets":                   "secrets list",
		"GET /secrets/a/versions":        "secrets list",
		"PUT /secrets/a":                 "secrets set",
		"DELETE /secrets/a":              "secrets delete",
		"POST /deletedsecrets/a/recover": "secrets recover",
		"DELETE /deletedsecrets/a":       "secrets purge",
		"POST /keys/k/create":            "keys create",
		"POST /keys/k/v/sign":            "keys sign",
		"POST /keys/k/v/unwrapkey":       "keys unwrapKey",
		"GET /keys/k":                    "keys get",
	}
	for in, want := range cases {
		var m, p string
		for i := range in {
			if in[i] == ' ' {
				m, p = in[:i], in[i+1:]
				break
			}
		}
		o := op(t, m, p)
		assert.Equal(t, want, string(o.Collection)+" "+o.Permission, in)
	}
	_, ok := Classify(http.MethodGet, "/storage/s")
	assert.False(t, ok)
}

func TestClassifyCertificates(t *testing.T) {
	cases := map[string]string{
		"GET /certificates":                   "list",
		"GET /certificates/c":                 "get",
		"GET /certificates/c/v1":              "get",
		"GET /certificates/c/versions":        "list",
		"GET /certificates/c/policy":          "get",
		"PATCH /certificates/c/policy":        "update",
		"PATCH /certificates/c/v1":            "update",
		"POST /certificates/c/create":         "create",
		"POST /certificates/c/import":         "import",
		"POST /certificates/c/backup":         "backup",
		"POST /certificates/restore":          "restore",
		"GET /certificates/c/pending":         "get",
		"PATCH /certificates/c/pending":       "update",
		"DELETE /certificates/c/pending":      "update",
		"POST /certificates/c/pending/merge":  "create",
		"DELETE /certificates/c":              "delete",
		"GET /deletedcertificates":            "list",
		"GET /deletedcertificates/c":          "get",
		"POST /deletedcertificates/c/recover": "recover",
		"DELETE /deletedcertificates/c":       "purge",
		"GET /certificates/contacts":          "managecontacts",
		"PUT /certificates/contacts":          "managecontacts",
		"DELETE /certificates/contacts":       "managecontacts",
		"GET /certificates/issuers":           "listissuers",
		"GET /certificates/issuers/i":         "getissuers",
		"PUT /certificates/issuers/i":         "setissuers",
		"PATCH /certificates/issuers/i":       "setissuers",
		"DELETE /certificates/issuers/i":      "deleteissuers",
	}
	for in, want := range cases {
		m, p, _ := strings.Cut(in, " ")
		o := op(t, m, p)
		assert.Equal(t, "certificates "+want, string(o.Collection)+" "+o.Permission, in)
	}
}

func TestCertificatePolicyAndRoles(t *testing.T) {
	d, err := New(Config{Policies: []Policy{{ObjectID: "ca", Certificates: []string{"manageissuers", "get"}}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("ca", here), op(t, "PUT", "/certificates/issuers/i")))
	assert.Nil(t, d.Decide(caller("ca", here), op(t, "GET", "/certificates/c")))
	den := d.Decide(caller("ca", here), op(t, "POST", "/certificates/c/import"))
	require.NotNil(t, den)
	assert.Contains(t, den.Message, "does not have certificates import permission")
	_, err = New(Config{Policies: []Policy{{ObjectID: "x", Certificates: []string{"sign"}}}})
	require.ErrorContains(t, err, `"sign" is not a certificates permission`)

	d, err = New(Config{Mode: ModeRBAC, Assignments: []Assignment{
		{ObjectID: "officer", Role: "Key Vault Certificates Officer"}, {ObjectID: "user", Role: "Key Vault Certificate User"}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("officer", here), op(t, "POST", "/certificates/c/create")))
	assert.NotNil(t, d.Decide(caller("officer", here), op(t, "GET", "/secrets/c")))
	assert.Nil(t, d.Decide(caller("user", here), op(t, "GET", "/secrets/c")))
	assert.Nil(t, d.Decide(caller("user", here), op(t, "GET", "/keys/c")))
	den = d.Decide(caller("user", here), op(t, "POST", "/certificates/c/create"))
	require.NotNil(t, den)
	assert.Contains(t, den.Message, "Action: 'Microsoft.KeyVault/vaults/certificates/create/action'")
}

func TestPolicies(t *testing.T) {
	d, err := New(Config{Policies: []Policy{{ObjectID: "reader", Secrets: []string{"get", "list"}}, {ObjectID: "admin", Secrets: []string{"all"}, Keys: []string{"all"}}}, VaultName: "v1", Location: "westeurope"})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("reader", here), op(t, "GET", "/secrets/a")))
	assert.Nil(t, d.Decide(caller("admin", here), op(t, "POST", "/keys/k/v/sign")))
	den := d.Decide(caller("reader", here), op(t, "PUT", "/secrets/a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerPolicy, den.Inner)
	assert.Equal(t, "The user, group or application 'appid=app-reader;oid=reader;iss=https://sts.windows.net/t/' does not have secrets set permission on key vault 'v1;location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287", den.Message)
	den = d.Decide(caller("stranger", here), op(t, "GET", "/secrets/a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerPolicy, den.Inner)
}

func TestNoPoliciesIsOpen(t *testing.T) {
	d, err := New(Config{})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("anyone", there), op(t, "DELETE", "/secrets/a")))
}

func TestRBAC(t *testing.T) {
	d, err := New(Config{Mode: ModeRBAC, Assignments: []Assignment{{ObjectID: "u", Role: "Key Vault Secrets User"}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("u", here), op(t, "GET", "/secrets/a")))
	den := d.Decide(caller("u", here), op(t, "PUT", "/secrets/a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerRBAC, den.Inner)
	assert.Contains(t, den.Message, "Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'")
	assert.Contains(t, den.Message, "/vaults/emulator/secrets/a'")
	// RBAC mode ignores access policies.
	d, err = New(Config{Mode: ModeRBAC, Policies: []Policy{{ObjectID: "u", Secrets: []string{"all"}}}})
	require.NoError(t, err)
	require.NotNil(t, d.Decide(caller("u", here), op(t, "GET", "/secrets/a")))
}

func TestFirewall(t *testing.T) {
	d, err := New(Config{Firewall: Firewall{DefaultAction: "Deny", IPRules: []string{"127.0.0.1", "127.0.0.2/31"}, TrustedServices: []string{"app-trusted"}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("u", here), op(t, "GET", "/secrets/a")))
	assert.Nil(t, d.Decide(caller("u", netip.MustParseAddr("127.0.0.2")), op(t, "GET", "/secrets/a")))
	den := d.Decide(caller("u", netip.MustParseAddr("127.0.0.4")), op(t, "GET", "/secrets/a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerFirewall, den.Inner)
	assert.Contains(t, den.Message, "Client address: 127.0.0.4\r\n")
	// A trusted service passes from anywhere; not with bypass None.
	assert.Nil(t, d.Decide(caller("trusted", netip.MustParseAddr("127.0.0.9")), op(t, "GET", "/secrets/a")))
	d, err = New(Config{Firewall: Firewall{DefaultAction: "Deny", Bypass: "None", TrustedServices: []string{"app-trusted"}}})
	require.NoError(t, err)
	assert.NotNil(t, d.Decide(caller("trusted", here), op(t, "GET", "/secrets/a")))
	// Firewall comes before the permission model.
	d, err = New(Config{Mode: ModeRBAC, Firewall: Firewall{DefaultAction: "Deny"}})
	require.NoError(t, err)
	assert.Equal(t, InnerFirewall, d.Decide(caller("u", here), op(t, "GET", "/secrets/a")).Inner)
}

func TestBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		`access mode "acl"`:      {Mode: "acl"},
		`"fly" is not a secrets`: {Policies: []Policy{{ObjectID: "x", Secrets: []string{"fly"}}}},
		`without object_id`:      {Policies: []Policy{{Secrets: []string{"get"}}}},
		`unknown role "Owner"`:   {Mode: ModeRBAC, Assignments: []Assignment{{ObjectID: "x", Role: "Owner"}}},
		`default_action "Block"`: {Firewall: Firewall{DefaultAction: "Block"}},
		`ip rule "10.0.0.300"`:   {Firewall: Firewall{IPRules: []string{"10.0.0.300"}}},
		`bypass "Everything"`:    {Firewall: Firewall{Bypass: "Everything"}},
	} {
		_, err := New(cfg)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), name)
	}
}
