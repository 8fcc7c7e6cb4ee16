package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
)

// configFile is the YAML form of the parts of Config a user sets for a
// standalone emulator (`kvquota emulate --config FILE`): who may sign in, and
// what each may do from where. Limits, window and clock stay flags.
//
//	tenant: 7e2c5a31-0c1d-4e8a-9f3b-6b7671756f74
//	vault_name: emulator
//	identities:
//	  - {client_id: ..., client_secret_env: APP_SECRET, object_id: ...}
//	access:
//	  mode: policy            # or rbac
//	  location: westeurope    # named in 403 messages
//	  policies:               # mode policy; none at all means open
//	    - {object_id: ..., secrets: [get, list], keys: [all]}
//	  assignments:            # mode rbac
//	    - {object_id: ..., role: Key Vault Secrets User}
//	  firewall:
//	    default_action: Deny  # Allow (the default) or Deny
//	    ip_rules: [127.0.0.1, 127.0.0.2/32]
//	    bypass: AzureServices # or None
//	    trusted_services: [<application id>, ...]
//	retry_after: true
//	data_dir: ./emulator-data # keep secrets and keys across restarts
//	deletion:
//	  retention_days: 7       # soft-delete retention, 7-90 (default 90)
//	  purge_protection: true  # refuse purges
type configFile struct {
	Tenant     string         `yaml:"tenant"`
	VaultName  string         `yaml:"vault_name"`
	Identities []fileIdentity `yaml:"identities"`
	Access     *access.Config `yaml:"access"`
	RetryAfter bool           `yaml:"retry_after"`
	Lax        string         `yaml:"lax"`
	// DataDir keeps secrets and keys across restarts (Config.DataDir).
	DataDir string `yaml:"data_dir"`
	// Deletion is the soft-delete setting (Config.Deletion).
	Deletion DeletionPolicy `yaml:"deletion"`
}

// fileIdentity is an identity in the file. Its secret is given inline (for
// throwaway emulator-only identities) or, better, named by an environment
// variable, so the file can be committed.
type fileIdentity struct {
	ClientID        string `yaml:"client_id"`
	ClientSecret    string `yaml:"client_secret"`
	ClientSecretEnv string `yaml:"client_secret_env"`
	ObjectID        string `yaml:"object_id"`
}

// LoadConfigFile reads an emulator configuration file (see configFile) into a
// Config. Unknown fields, a missing secret and bad access rules are errors
// naming the file; the result is checked as New would check it.
func LoadConfigFile(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	return ParseConfigFile(path, b)
}

// ParseConfigFile is LoadConfigFile on bytes already read; name is used in errors.
func ParseConfigFile(name string, b []byte) (Config, error) {
	var f configFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	cfg := Config{Tenant: f.Tenant, VaultName: f.VaultName, RetryAfter: f.RetryAfter, Deletion: f.Deletion}
	lax, err := ParseLax(f.Lax)
	if err != nil {
		return Config{}, fmt.Errorf("%s: lax: %w", name, err)
	}
	cfg.Lax = lax
	for i, id := range f.Identities {
		secret := id.ClientSecret
		switch {
		case secret != "" && id.ClientSecretEnv != "":
			return Config{}, fmt.Errorf("%s: identities[%d]: give client_secret or client_secret_env, not both", name, i)
		case id.ClientSecretEnv != "":
			secret = os.Getenv(id.ClientSecretEnv)
			if secret == "" {
				return Config{}, fmt.Errorf("%s: identities[%d]: environment variable %s (client_secret_env) is empty", name, i, id.ClientSecretEnv)
			}
		}
		cfg.Identities = append(cfg.Identities, auth.Identity{ClientID: id.ClientID, ClientSecret: secret, ObjectID: id.ObjectID})
	}
	if f.Access != nil {
		cfg.Access = *f.Access
	}
	// Check everything now, so a bad file fails before anything listens.
	if _, err := New(cfg); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	cfg.DataDir = f.DataDir // after the check: New would load it
	return cfg, nil
}
