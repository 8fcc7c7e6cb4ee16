package limits

import (
	"net/http"
	"strings"
)

// DefaultCertKey is the key of a certificate whose key a classifier cannot
// see: Key Vault's default certificate policy makes an RSA 2048 software
// key. A stored run keeps URLs, not bodies, so a client-side classifier
// classes every certificate import as one of these; the emulator, which
// reads the body, uses the imported key.
var DefaultCertKey = KeySpec{Type: RSA2048}

// ClassifyCertificateRequest is ClassifyCertificateRequestIn under
// DefaultProfile, for an import of a DefaultCertKey certificate.
func ClassifyCertificateRequest(method, path string) (Class, bool) {
	return ClassifyCertificateRequestIn(defaultProfile, method, path, DefaultCertKey)
}

// ClassifyCertificateRequestIn returns the class of a certificate data-plane
// request (certificates, their pending operations and policies,
// deletedcertificates, contacts, issuers) under profile p:
//   - POST /certificates/{name}/import is p.ImportClass of the imported
//     certificate's key (imported): the shared 300 row (SecretsCreate)
//     under 2025, whose text names "IMPORT certificate" in it, the key
//     type's CREATE under 2018 and 2021, which are silent on imports, as
//     for a key import;
//   - every other certificate operation, create and merge included, is a
//     vault transaction ("all other transactions", Secrets). Searched: the
//     2018, 2021 and 2025 texts of the limits page give certificates no row
//     but the 2025 import; a create makes its key inside the vault, which
//     the page does not count as a key CREATE of the caller's.
func ClassifyCertificateRequestIn(p *Profile, method, path string, imported KeySpec) (Class, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch strings.ToLower(segs[0]) {
	case "certificates":
		if method == http.MethodPost && len(segs) == 3 && strings.EqualFold(segs[2], "import") {
			return p.ImportClass(imported), true
		}
		return Secrets, true
	case "deletedcertificates":
		return Secrets, true
	}
	return "", false
}

// CertKeyName is the name under which a stored run's keys map (run.json's
// keys) records the key of the certificate name imports: key names cannot
// hold a '/', so it never clashes with a key's own.
func CertKeyName(name string) string { return "certificates/" + strings.ToLower(name) }
