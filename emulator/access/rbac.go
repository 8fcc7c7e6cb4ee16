package access

import (
	"fmt"
	"strings"
)

// Assignment gives an object id a built-in Key Vault role on the vault.
type Assignment struct {
	ObjectID string `yaml:"object_id" json:"objectId"`
	Role     string `yaml:"role" json:"role"`
}

// roles are the built-in data-plane roles of Key Vault (Azure RBAC guide,
// articles/key-vault/general/rbac-guide.md, and the built-in role
// definitions), reduced to the collections and permissions each grants. "*"
// is every permission. Crypto Officer has keys/* and keyrotationpolicies/*;
// Crypto User reads, updates and backs up keys and uses them; the service
// roles are for Azure services (wrap/unwrap for encryption at rest, release
// for secure key release); Reader reads metadata, rotation policies
// included (*/read).
var roles = map[string]map[Collection][]string{
	"Key Vault Administrator":   {Secrets: {"*"}, Keys: {"*"}, Certificates: {"*"}},
	"Key Vault Secrets Officer": {Secrets: {"*"}},
	"Key Vault Secrets User":    {Secrets: {"get"}},
	"Key Vault Crypto Officer":  {Keys: {"*"}},
	"Key Vault Crypto User": {Keys: {"get", "list", "update", "backup", "sign", "verify", "encrypt", "decrypt",
		"wrapKey", "unwrapKey"}},
	"Key Vault Crypto Service Encryption User": {Keys: {"get", "list", "wrapKey", "unwrapKey"}},
	"Key Vault Crypto Service Release User":    {Keys: {"release"}},
	"Key Vault Reader":                         {Secrets: {"list"}, Keys: {"get", "list", "getrotationpolicy"}, Certificates: {"get", "list"}},
	// Certificates Officer: every action on certificates, their contacts
	// and issuers (certificates/*, certificatecas/*, certificatecontacts/*);
	// reading a certificate's secret needs a secrets role as well, as in
	// Azure.
	"Key Vault Certificates Officer": {Certificates: {"*"}},
	// Certificate User: reads whole certificates, the secret and key parts
	// included (certificates/read, secrets/getSecret, secrets/readMetadata,
	// keys/read).
	"Key Vault Certificate User": {Certificates: {"get", "list"}, Secrets: {"get", "list"}, Keys: {"get", "list"}},
}

// RoleNames lists the roles an Assignment may name.
func RoleNames() []string {
	out := make([]string, 0, len(roles))
	for r := range roles {
		out = append(out, r)
	}
	return out
}

func (a Assignment) allows(coll Collection, perm string) bool {
	for _, p := range roles[a.Role][coll] {
		if p == "*" || strings.EqualFold(p, perm) {
			return true
		}
	}
	return false
}

func (a Assignment) validate() error {
	if a.ObjectID == "" {
		return fmt.Errorf("role assignment without object_id")
	}
	if _, ok := roles[a.Role]; !ok {
		return fmt.Errorf("role assignment for %s: unknown role %q (known: %s)", a.ObjectID, a.Role, strings.Join(RoleNames(), ", "))
	}
	return nil
}

// dataAction is the RBAC data action Key Vault names in a ForbiddenByRbac
// message, e.g. Microsoft.KeyVault/vaults/secrets/getSecret/action.
func dataAction(op Operation) string {
	if op.Collection == Certificates {
		return certificateDataAction(op)
	}
	base := "Microsoft.KeyVault/vaults/" + string(op.Collection) + "/"
	if op.Collection == Secrets {
		switch op.Permission {
		case "get":
			return base + "getSecret/action"
		case "list":
			return base + "readMetadata/action"
		case "set":
			return base + "setSecret/action"
		case "delete":
			return base + "delete"
		default:
			return base + op.Permission + "/action"
		}
	}
	switch op.Permission {
	case "get", "list":
		return base + "read"
	case "delete":
		return base + "delete"
	case "getrotationpolicy":
		return "Microsoft.KeyVault/vaults/keyrotationpolicies/read"
	case "setrotationpolicy":
		return "Microsoft.KeyVault/vaults/keyrotationpolicies/write"
	default:
		return base + op.Permission + "/action"
	}
}
