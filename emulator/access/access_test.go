package access

import (
	"net/netip"
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

func need(coll Collection, perm, name string) Operation {
	return Operation{Collection: coll, Permission: perm, Name: name}
}

func TestKnownPermission(t *testing.T) {
	for _, p := range SecretPermissions {
		assert.True(t, KnownPermission(Secrets, p), p)
	}
	for _, p := range KeyPermissions {
		assert.True(t, KnownPermission(Keys, p), p)
	}
	assert.True(t, KnownPermission(Keys, "wrapkey"), "case-insensitive")
	assert.False(t, KnownPermission(Secrets, "sign"), "a key permission is not a secret one")
	assert.False(t, KnownPermission(Keys, "set"))
	for _, p := range CertificatePermissions {
		assert.True(t, KnownPermission(Certificates, p), p)
	}
	assert.False(t, KnownPermission(Certificates, "sign"), "a key permission is not a certificate one")
	assert.False(t, KnownPermission("storage", "get"), "a collection access does not know")
	assert.False(t, KnownPermission(Keys, ""))
}

func TestPolicies(t *testing.T) {
	d, err := New(Config{Policies: []Policy{{ObjectID: "reader", Secrets: []string{"get", "list"}}, {ObjectID: "admin", Secrets: []string{"all"}, Keys: []string{"all"}}}, VaultName: "v1", Location: "westeurope"})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("reader", here), need(Secrets, "get", "a")))
	assert.Nil(t, d.Decide(caller("admin", here), need(Keys, "sign", "k")))
	den := d.Decide(caller("reader", here), need(Secrets, "set", "a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerPolicy, den.Inner)
	assert.Equal(t, "The user, group or application 'appid=app-reader;oid=reader;iss=https://sts.windows.net/t/' does not have secrets set permission on key vault 'v1;location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287", den.Message)
	den = d.Decide(caller("stranger", here), need(Secrets, "get", "a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerPolicy, den.Inner)
}

func TestNoPoliciesIsOpen(t *testing.T) {
	d, err := New(Config{})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("anyone", there), need(Secrets, "delete", "a")))
}

func TestRBAC(t *testing.T) {
	d, err := New(Config{Mode: ModeRBAC, Assignments: []Assignment{{ObjectID: "u", Role: "Key Vault Secrets User"}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("u", here), need(Secrets, "get", "a")))
	den := d.Decide(caller("u", here), need(Secrets, "set", "a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerRBAC, den.Inner)
	assert.Contains(t, den.Message, "Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'")
	assert.Contains(t, den.Message, "/vaults/emulator/secrets/a'")
	// RBAC mode ignores access policies.
	d, err = New(Config{Mode: ModeRBAC, Policies: []Policy{{ObjectID: "u", Secrets: []string{"all"}}}})
	require.NoError(t, err)
	require.NotNil(t, d.Decide(caller("u", here), need(Secrets, "get", "a")))
}

func TestFirewall(t *testing.T) {
	d, err := New(Config{Firewall: Firewall{DefaultAction: "Deny", IPRules: []string{"127.0.0.1", "127.0.0.2/31"}, TrustedServices: []string{"app-trusted"}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("u", here), need(Secrets, "get", "a")))
	assert.Nil(t, d.Decide(caller("u", netip.MustParseAddr("127.0.0.2")), need(Secrets, "get", "a")))
	den := d.Decide(caller("u", netip.MustParseAddr("127.0.0.4")), need(Secrets, "get", "a"))
	require.NotNil(t, den)
	assert.Equal(t, InnerFirewall, den.Inner)
	assert.Contains(t, den.Message, "Client address: 127.0.0.4\r\n")
	// A trusted service passes from anywhere; not with bypass None.
	assert.Nil(t, d.Decide(caller("trusted", netip.MustParseAddr("127.0.0.9")), need(Secrets, "get", "a")))
	d, err = New(Config{Firewall: Firewall{DefaultAction: "Deny", Bypass: "None", TrustedServices: []string{"app-trusted"}}})
	require.NoError(t, err)
	assert.NotNil(t, d.Decide(caller("trusted", here), need(Secrets, "get", "a")))
	// Firewall comes before the permission model.
	d, err = New(Config{Mode: ModeRBAC, Firewall: Firewall{DefaultAction: "Deny"}})
	require.NoError(t, err)
	assert.Equal(t, InnerFirewall, d.Decide(caller("u", here), need(Secrets, "get", "a")).Inner)
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

func TestCertificatePolicyAndRoles(t *testing.T) {
	d, err := New(Config{Policies: []Policy{{ObjectID: "ca", Certificates: []string{"manageissuers", "get"}}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("ca", here), need(Certificates, "setissuers", "")))
	assert.Nil(t, d.Decide(caller("ca", here), need(Certificates, "get", "c")))
	den := d.Decide(caller("ca", here), need(Certificates, "import", "c"))
	require.NotNil(t, den)
	assert.Contains(t, den.Message, "does not have certificates import permission")
	_, err = New(Config{Policies: []Policy{{ObjectID: "x", Certificates: []string{"sign"}}}})
	require.ErrorContains(t, err, `"sign" is not a certificates permission`)

	d, err = New(Config{Mode: ModeRBAC, Assignments: []Assignment{
		{ObjectID: "officer", Role: "Key Vault Certificates Officer"}, {ObjectID: "user", Role: "Key Vault Certificate User"}}})
	require.NoError(t, err)
	assert.Nil(t, d.Decide(caller("officer", here), need(Certificates, "create", "c")))
	assert.Nil(t, d.Decide(caller("officer", here), need(Certificates, "managecontacts", "")))
	assert.NotNil(t, d.Decide(caller("officer", here), need(Secrets, "get", "c")))
	assert.Nil(t, d.Decide(caller("user", here), need(Secrets, "get", "c")))
	assert.Nil(t, d.Decide(caller("user", here), need(Keys, "get", "c")))
	den = d.Decide(caller("user", here), need(Certificates, "create", "c"))
	require.NotNil(t, den)
	assert.Contains(t, den.Message, "Action: 'Microsoft.KeyVault/vaults/certificates/create/action'")
	den = d.Decide(caller("user", here), need(Certificates, "setissuers", ""))
	require.NotNil(t, den)
	assert.Contains(t, den.Message, "Action: 'Microsoft.KeyVault/vaults/certificatecas/write'")
}

func TestCryptoRolesAndRotationPolicyActions(t *testing.T) {
	d, err := New(Config{Mode: ModeRBAC, Assignments: []Assignment{
		{ObjectID: "user", Role: "Key Vault Crypto User"},
		{ObjectID: "officer", Role: "Key Vault Crypto Officer"},
		{ObjectID: "reader", Role: "Key Vault Reader"},
	}})
	require.NoError(t, err)
	for _, p := range []string{"get", "list", "update", "backup", "sign", "unwrapKey"} {
		assert.Nil(t, d.Decide(caller("user", here), need(Keys, p, "k")), p)
	}
	for _, p := range []string{"create", "import", "delete", "purge", "restore", "rotate", "setrotationpolicy", "release"} {
		assert.NotNil(t, d.Decide(caller("user", here), need(Keys, p, "k")), p)
	}
	for _, p := range KeyPermissions {
		assert.Nil(t, d.Decide(caller("officer", here), need(Keys, p, "k")), p)
	}
	assert.Nil(t, d.Decide(caller("reader", here), need(Keys, "getrotationpolicy", "k")))
	den := d.Decide(caller("reader", here), need(Keys, "setrotationpolicy", "k"))
	require.NotNil(t, den)
	assert.Contains(t, den.Message, "Action: 'Microsoft.KeyVault/vaults/keyrotationpolicies/write'")
}
