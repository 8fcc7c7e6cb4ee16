package limits

import (
	"net/http"
	"strings"
)

// CertificatesImport is importing a certificate (POST
// /certificates/{name}/import). The service-limits page revised in 2025 puts
// it in one row with secret CREATE and key IMPORT, 300 per 10 s together;
// under weighted enforcement a class of its own with that limit is exactly
// that sharing (each costs 1/300 of the window). The 2018 and 2021 texts do
// not name certificates at all, so there it is one of the vault's "all other
// transactions".
const CertificatesImport Class = "certificates-import"

// ClassifyCertificateRequest returns the class of a certificate data-plane
// request (certificates, deletedcertificates, contacts, issuers) from its
// method and path: import is CertificatesImport and every other operation,
// create included, is a vault transaction (Secrets). The documentation gives
// certificates no row of their own beyond import (searched: the 2018, 2021
// and 2025 texts of key-vault-limits.md and service-limits.md), and a
// certificate create is counted by the vault as a transaction on the vault,
// not as a key CREATE of its key's type.
func ClassifyCertificateRequest(method, path string) (Class, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch strings.ToLower(segs[0]) {
	case "certificates":
		if method == http.MethodPost && len(segs) == 3 && strings.EqualFold(segs[2], "import") {
			return CertificatesImport, true
		}
		return Secrets, true
	case "deletedcertificates":
		return Secrets, true
	}
	return "", false
}
