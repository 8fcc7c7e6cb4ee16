package access

import (
	"fmt"
	"strings"
)

// Mode is the vault's permission model.
type Mode string

// The permission models of Key Vault.
const (
	// ModePolicy is the vault access policy model (the portal's "Vault access
	// policy"), the default of the emulator.
	ModePolicy Mode = "policy"
	// ModeRBAC is Azure role-based access control (enableRbacAuthorization).
	ModeRBAC Mode = "rbac"
)

// Policy is one access policy: the permissions of one object id. "all"
// grants every permission of its collection, as in the ARM API.
type Policy struct {
	ObjectID string   `yaml:"object_id" json:"objectId"`
	Secrets  []string `yaml:"secrets" json:"secrets"`
	Keys     []string `yaml:"keys" json:"keys"`
	// Certificates are the policy's certificate permissions
	// (CertificatePermissions).
	Certificates []string `yaml:"certificates" json:"certificates"`
}

// SecretPermissions and KeyPermissions list the permissions a policy may name.
var (
	SecretPermissions = []string{"get", "list", "set", "delete", "recover", "backup", "restore", "purge"}
	KeyPermissions    = []string{"get", "list", "create", "update", "import", "delete", "recover", "backup", "restore", "purge",
		"sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "rotate", "getrotationpolicy", "setrotationpolicy", "release"}
)

// allows reports whether the policy grants perm on coll.
func (p Policy) allows(coll Collection, perm string) bool {
	list := p.Secrets
	switch coll {
	case Keys:
		list = p.Keys
	case Certificates:
		list = p.Certificates
	}
	for _, g := range list {
		if strings.EqualFold(g, perm) || strings.EqualFold(g, "all") {
			return true
		}
		if coll == Certificates && strings.EqualFold(g, "manageissuers") && containsFold(issuerPermissions, perm) {
			return true
		}
	}
	return false
}

// validate names the first permission the policy grants that Key Vault does
// not know.
func (p Policy) validate() error {
	if p.ObjectID == "" {
		return fmt.Errorf("access policy without object_id")
	}
	check := func(coll string, got, known []string) error {
		for _, g := range got {
			if strings.EqualFold(g, "all") || containsFold(known, g) {
				continue
			}
			return fmt.Errorf("access policy for %s: %q is not a %s permission (known: all, %s)", p.ObjectID, g, coll, strings.Join(known, ", "))
		}
		return nil
	}
	if err := check("secrets", p.Secrets, SecretPermissions); err != nil {
		return err
	}
	if err := check("keys", p.Keys, KeyPermissions); err != nil {
		return err
	}
	return check("certificates", p.Certificates, CertificatePermissions)
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
