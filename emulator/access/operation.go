package access

import "strings"

// Collection is what an access policy grants permissions on.
type Collection string

// The collections the emulator serves.
const (
	Secrets Collection = "secrets"
	Keys    Collection = "keys"
)

// Operation is one data-plane request as the permission model sees it: the
// collection, the access-policy permission it needs (as the portal and the
// ARM API spell them: get, list, set, delete, recover, backup, restore, purge;
// for keys also create, update, import, sign, verify, encrypt, decrypt,
// wrapKey, unwrapKey, rotate, getrotationpolicy, setrotationpolicy, release),
// and the object's name (for RBAC's Resource line).
//
// The emulator does not work an Operation out from a request's path: each of
// its routes declares the Collection and Permission it needs (emulator
// routeSets), and the vault adds the Name it matched.
type Operation struct {
	Collection Collection
	Permission string
	Name       string
}

// permissions lists, per collection, the permissions a policy may name and a
// route may need.
var permissions = map[Collection][]string{
	Secrets:      SecretPermissions,
	Keys:         KeyPermissions,
	Certificates: CertificatePermissions,
}

// KnownPermission reports whether perm is a permission of collection c
// (case-insensitive, as Key Vault's are).
func KnownPermission(c Collection, perm string) bool {
	for _, p := range permissions[c] {
		if strings.EqualFold(p, perm) {
			return true
		}
	}
	return false
}
