package emulator

import (
	"strings"
	"testing"

	"github.com/kvquota/kvquota/emulator/auth"
)

// FuzzConfigFile feeds arbitrary bytes to ParseConfigFile: never a panic,
// every error names the file, and a config the parser accepts makes a vault.
func FuzzConfigFile(f *testing.F) {
	for _, seed := range []string{
		"", "{}", "tenant: contoso.example\nvault_name: shop\n",
		"identities:\n  - {client_id: app-2, client_secret: inline, object_id: obj-2}\n",
		"access:\n  mode: rbac\n  assignments:\n    - {object_id: obj-1, role: Key Vault Secrets User}\n  firewall: {default_action: Deny, ip_rules: [127.0.0.1, 127.0.0.2/31]}\n",
		"access: {mode: policies}\n", "lax: accept-any-token\n", "retry_after: true\n",
		"colour: blue", "identities: [{client_id: a, client_secret_env: KVQ_FUZZ_UNSET, object_id: o}]",
		"a: &a [*a]", "- 1\n- 2\n", "tenant: [1]\n", "vault_name: \"\\u0000\"\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfigFile("emu.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "emu.yaml") {
				t.Fatalf("the error does not name the file: %v", err)
			}
			return
		}
		if _, err := newVault(cfg, auth.WithKey(sharedKey())); err != nil {
			t.Fatalf("ParseConfigFile accepted %q but New refuses it: %v", data, err)
		}
	})
}
