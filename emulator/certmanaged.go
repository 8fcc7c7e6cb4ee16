package emulator

import (
	"net/http"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// The key and secret a certificate owns are managed by Key Vault: their
// lifetime is the certificate's. Setting a new version of such a secret is
// refused with the service's own text (hashicorp/terraform-provider-azurerm
// #5659: 403 Forbidden, `Operation "set" is not allowed as this object's
// lifetime is managed by Key Vault.`, innererror SecretManagedByKeyVault);
// deleting the secret or the key on its own is refused the same way (the
// same check in the service; the delete wording and the key's innererror
// follow the set capture and are not confirmed verbatim).

// managedGuards names the routes whose operation a managed object refuses,
// with the operation word of the message.
var managedGuards = map[string]string{
	http.MethodPut + " secrets/{name}":    "set",
	http.MethodDelete + " secrets/{name}": "delete",
	http.MethodDelete + " keys/{name}":    "delete",
}

// guardManaged wraps the handlers of managedGuards in rt, once, when the
// vault is made.
func guardManaged(rt *router) {
	for _, routes := range rt.byCollection {
		for _, r := range routes {
			op, ok := managedGuards[r.method+" "+r.pattern]
			if !ok {
				continue
			}
			next, isKey := r.handle, strings.HasPrefix(r.pattern, "keys/")
			r.handle = func(rq *request) {
				if rq.ownedByCertificate(isKey) {
					rq.fail(errManagedByKeyVault(op, isKey))
					return
				}
				next(rq)
			}
		}
	}
}

// ownedByCertificate reports whether the named key (or secret) is a
// certificate's.
func (rq *request) ownedByCertificate(isKey bool) bool {
	if isKey {
		k, err := rq.v.keyStore().Get(rq.param("name"), "")
		return err == nil && k.Managed
	}
	s, err := rq.v.secrets.Get(rq.param("name"), "")
	return err == nil && s.Managed
}

func errManagedByKeyVault(op string, isKey bool) *kverror.Error {
	inner := "SecretManagedByKeyVault"
	if isKey {
		inner = "KeyManagedByKeyVault"
	}
	return kverror.New(http.StatusForbidden, "Forbidden",
		`Operation "`+op+`" is not allowed as this object's lifetime is managed by Key Vault.`).WithInner(inner)
}
