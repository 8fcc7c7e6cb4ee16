package access

import (
	"net/http"
	"strings"
)

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
// wrapKey, unwrapKey), and the object's name (for RBAC's Resource line).
type Operation struct {
	Collection Collection
	Permission string
	Name       string
}

// keyCrypto maps the last path segment of a key operation to its permission.
var keyCrypto = map[string]string{
	"sign": "sign", "verify": "verify", "encrypt": "encrypt", "decrypt": "decrypt",
	"wrapkey": "wrapKey", "unwrapkey": "unwrapKey", "create": "create", "backup": "backup",
	"recover": "recover", "restore": "restore", "rotate": "rotate", "release": "release",
}

// Classify names the operation of a request from its method and path; ok is
// false for paths outside secrets and keys (the vault then applies no
// permission check, as those paths are 404s anyway).
func Classify(method, path string) (op Operation, ok bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) == 0 || segs[0] == "" {
		return Operation{}, false
	}
	coll := strings.ToLower(segs[0])
	deleted := strings.HasPrefix(coll, "deleted")
	coll = strings.TrimPrefix(coll, "deleted")
	switch coll {
	case string(Secrets), string(Keys):
	case string(Certificates):
		return classifyCertificate(method, segs, deleted)
	default:
		return Operation{}, false
	}
	op.Collection = Collection(coll)
	if len(segs) > 1 {
		op.Name = segs[1]
	}
	last := strings.ToLower(segs[len(segs)-1])
	switch {
	case deleted && method == http.MethodDelete:
		op.Permission = "purge"
	case deleted && len(segs) == 3 && last == "recover":
		op.Permission = "recover"
	case deleted:
		op.Permission = "list"
	case len(segs) == 1 && method == http.MethodGet, len(segs) == 3 && last == "versions" && method == http.MethodGet:
		op.Permission = "list"
	case len(segs) == 2 && last == "restore" && method == http.MethodPost:
		op.Permission = "restore"
	case method == http.MethodGet:
		op.Permission = "get"
	case method == http.MethodDelete:
		op.Permission = "delete"
	case op.Collection == Secrets && (method == http.MethodPut || method == http.MethodPatch):
		op.Permission = "set"
	case op.Collection == Secrets && method == http.MethodPost && last == "backup":
		op.Permission = "backup"
	case op.Collection == Keys && method == http.MethodPut:
		op.Permission = "import"
	case op.Collection == Keys && method == http.MethodPatch:
		op.Permission = "update"
	case op.Collection == Keys && method == http.MethodPost:
		p, known := keyCrypto[last]
		if !known {
			return Operation{}, false
		}
		op.Permission = p
	default:
		return Operation{}, false
	}
	return op, true
}
