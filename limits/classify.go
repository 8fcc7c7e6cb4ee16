package limits

import (
	"net/http"
	"strings"
)

// ClassifySecretRequest returns the class of a secret, certificate or vault
// data-plane request from its method and URL path alone (certificates as
// ClassifyCertificateRequest). Key operations need to know the key's type
// and protection, so they are not classified here (ok is false).
func ClassifySecretRequest(method, path string) (c Class, ok bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) == 0 {
		return "", false
	}
	switch segs[0] {
	case "secrets":
		if method == http.MethodPut && len(segs) == 2 {
			return SecretsCreate, true
		}
		return Secrets, true
	case "deletedsecrets", "storage", "deletedstorage":
		return Secrets, true
	case "certificates", "deletedcertificates":
		return ClassifyCertificateRequest(method, path)
	}
	return "", false
}
