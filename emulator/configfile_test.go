package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/access"
)

func TestConfigFile(t *testing.T) {
	t.Setenv("KVQ_TEST_APP_SECRET", "s3cret")
	cfg, err := ParseConfigFile("emu.yaml", []byte(`
tenant: contoso.example
vault_name: shop
identities:
  - {client_id: app-1, client_secret_env: KVQ_TEST_APP_SECRET, object_id: obj-1}
  - {client_id: app-2, client_secret: inline, object_id: obj-2}
access:
  mode: rbac
  location: westeurope
  assignments:
    - {object_id: obj-1, role: Key Vault Secrets User}
  firewall: {default_action: Deny, ip_rules: [127.0.0.1, 127.0.0.2/31]}
retry_after: true
`))
	require.NoError(t, err)
	assert.Equal(t, "contoso.example", cfg.Tenant)
	assert.Equal(t, "shop", cfg.VaultName)
	require.Len(t, cfg.Identities, 2)
	assert.Equal(t, "s3cret", cfg.Identities[0].ClientSecret)
	assert.Equal(t, access.ModeRBAC, cfg.Access.Mode)
	assert.Equal(t, "Deny", cfg.Access.Firewall.DefaultAction)
	assert.True(t, cfg.RetryAfter)
}

func TestConfigFileErrorsNameTheProblem(t *testing.T) {
	for want, text := range map[string]string{
		"field colour not found":                      `colour: blue`,
		"KVQ_TEST_UNSET (client_secret_env) is empty": "identities: [{client_id: a, client_secret_env: KVQ_TEST_UNSET, object_id: o}]",
		`unknown role "Owner"`:                        "access: {mode: rbac, assignments: [{object_id: o, role: Owner}]}",
		`firewall ip rule "not-an-ip"`:                "access: {firewall: {ip_rules: [not-an-ip]}}",
		`lax setting "sloppy"`:                        "lax: sloppy",
		"not both":                                    "identities: [{client_id: a, client_secret: x, client_secret_env: Y, object_id: o}]",
	} {
		_, err := ParseConfigFile("emu.yaml", []byte(text))
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), "emu.yaml")
		assert.Contains(t, err.Error(), want)
	}
}

func TestConfigFileDeletionPolicy(t *testing.T) {
	cfg, err := ParseConfigFile("x.yaml", []byte("deletion:\n  retention_days: 7\n  purge_protection: true\n"))
	require.NoError(t, err)
	assert.Equal(t, DeletionPolicy{RetentionDays: 7, PurgeProtection: true}, cfg.Deletion)
	assert.Equal(t, "CustomizedRecoverable", cfg.Deletion.RecoveryLevel())
	_, err = ParseConfigFile("x.yaml", []byte("deletion:\n  retention_days: 3\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.yaml: soft-delete retention of 3 days")
}
