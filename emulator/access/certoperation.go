package access

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
