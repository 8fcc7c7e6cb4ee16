package access

import (
	"net/http"
	"strings"
)

// Certificates is the collection of certificates, their contacts and
// issuers (access policies' "certificates" permissions).
const Certificates Collection = "certificates"

// CertificatePermissions are the certificate permissions an access policy
// may name (the ARM API's CertificatePermissions). manageissuers grants the
// four issuer permissions together.
var CertificatePermissions = []string{"get", "list", "update", "create", "import", "delete", "recover", "backup", "restore",
	"managecontacts", "manageissuers", "getissuers", "listissuers", "setissuers", "deleteissuers", "purge"}

// issuerPermissions are the ones manageissuers covers.
var issuerPermissions = []string{"getissuers", "listissuers", "setissuers", "deleteissuers"}

// classifyCertificate names the permission of a certificates or
// deletedcertificates request, as each operation's description in the
// data-plane spec (certificates.json, 2025-07-01) states it: "This operation
// requires the certificates/<permission> permission".
func classifyCertificate(method string, segs []string, deleted bool) (Operation, bool) {
	op := Operation{Collection: Certificates}
	n := len(segs)
	if n > 1 {
		op.Name = segs[1]
	}
	second := ""
	if n > 1 {
		second = strings.ToLower(segs[1])
	}
	last := strings.ToLower(segs[n-1])
	switch {
	case deleted:
		op.Permission = map[bool]string{true: "list", false: "get"}[n == 1]
		if method == http.MethodDelete {
			op.Permission = "purge"
		} else if n == 3 && last == "recover" {
			op.Permission = "recover"
		}
	case second == "contacts" && n == 2:
		op.Name, op.Permission = "", "managecontacts"
	case second == "issuers":
		op.Name, op.Permission = "", issuerPermission(method, n)
		if n == 3 {
			op.Name = segs[2]
		}
	case second == "restore" && n == 2:
		op.Name, op.Permission = "", "restore"
	default:
		op.Permission = certPermission(method, n, last)
	}
	return op, op.Permission != ""
}

func issuerPermission(method string, n int) string {
	switch {
	case method == http.MethodGet && n == 2:
		return "listissuers"
	case method == http.MethodGet:
		return "getissuers"
	case method == http.MethodDelete:
		return "deleteissuers"
	case method == http.MethodPut || method == http.MethodPatch:
		return "setissuers"
	}
	return ""
}

func certPermission(method string, n int, last string) string {
	switch {
	case n == 1 && method == http.MethodGet, n == 3 && last == "versions" && method == http.MethodGet:
		return "list"
	case method == http.MethodGet:
		return "get"
	case method == http.MethodPost && last == "create", method == http.MethodPost && last == "merge":
		return "create"
	case method == http.MethodPost && last == "import":
		return "import"
	case method == http.MethodPost && last == "backup":
		return "backup"
	case method == http.MethodPatch, method == http.MethodDelete && last == "pending":
		return "update"
	case method == http.MethodDelete:
		return "delete"
	}
	return ""
}

// certificateDataAction is the RBAC data action of a certificate operation.
func certificateDataAction(op Operation) string {
	const base = "Microsoft.KeyVault/vaults/"
	switch op.Permission {
	case "get", "list":
		return base + "certificates/read"
	case "delete":
		return base + "certificates/delete"
	case "managecontacts":
		return base + "certificatecontacts/write"
	case "getissuers", "listissuers":
		return base + "certificatecas/read"
	case "setissuers":
		return base + "certificatecas/write"
	case "deleteissuers":
		return base + "certificatecas/delete"
	default:
		return base + "certificates/" + op.Permission + "/action"
	}
}
