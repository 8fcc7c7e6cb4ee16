package scenarios

import (
	"net/http"
	"strings"
)

// AuthProbe is the operation of the auth-conformance scenario: each request
// is the next case of AuthCases in turn, a get-secret of "<name>-<case>" sent
// with the credentials or from the source address the case calls for. The
// case is in the URL so that a stored run can be judged case by case.
const AuthProbe OpKind = "auth-probe"

// CheckAuth judges an auth-probe run: every case of AuthCases must have been
// answered as Key Vault answers it (status, error code, innererror, and for
// 401 a parseable challenge). One verdict per case.
const CheckAuth CheckName = "auth"

// AuthCase is one way a request can be unauthenticated, forbidden or allowed,
// and what Key Vault answers.
type AuthCase struct {
	// Name is the case, the suffix of the secret name its request reads.
	Name string
	// Status is the expected status; 0 means "authenticated and allowed":
	// anything but 401 and 403 (the secret may well not exist: 404).
	Status int
	// Code and Inner are the expected error.code and innererror.code.
	Code, Inner string
	// Forged cases need a token signed with the authority's own key (a
	// Forger): the embedded emulator can, a real vault's authority cannot.
	Forged bool
	// Source names the loopback source address the request is sent from:
	// "" the default route, "allowed" or "denied" (see attack.AuthOptions).
	Source string
	// Why says what the case sends, for verdicts.
	Why string
}

// The innererror codes of Key Vault's 403s.
const (
	InnerAccessDenied = "AccessDenied"
	InnerFirewall     = "ForbiddenByFirewall"
)

// AuthCases are the cases of the auth-conformance scenario, in the order they
// are sent.
var AuthCases = []AuthCase{
	{Name: "authorized", Why: "a valid token from an allowed address"},
	{Name: "missing", Status: http.StatusUnauthorized, Code: "Unauthorized", Why: "no Authorization header"},
	{Name: "not-bearer", Status: http.StatusUnauthorized, Code: "Unauthorized", Why: "an Authorization scheme other than Bearer"},
	{Name: "malformed", Status: http.StatusUnauthorized, Code: "Unauthorized", Why: "a bearer value that is not a JWT"},
	{Name: "bad-signature", Status: http.StatusUnauthorized, Code: "Unauthorized", Why: "a valid token with its signature altered"},
	{Name: "unknown-kid", Status: http.StatusUnauthorized, Code: "Unauthorized", Why: "a valid token whose header names a key the authority never published"},
	{Name: "alg-none", Status: http.StatusUnauthorized, Code: "Unauthorized", Why: `a valid token's claims with alg "none" and no signature`},
	{Name: "hs256-public-key", Status: http.StatusUnauthorized, Code: "Unauthorized", Forged: true, Why: "claims signed HS256 with the authority's public key as the secret"},
	{Name: "wrong-audience", Status: http.StatusUnauthorized, Code: "Unauthorized", Forged: true, Why: "a correctly signed token for another audience"},
	{Name: "wrong-issuer", Status: http.StatusUnauthorized, Code: "Unauthorized", Forged: true, Why: "a correctly signed token naming another tenant"},
	{Name: "expired", Status: http.StatusUnauthorized, Code: "Unauthorized", Forged: true, Why: "a correctly signed token that expired an hour ago"},
	{Name: "not-yet-valid", Status: http.StatusUnauthorized, Code: "Unauthorized", Forged: true, Why: "a correctly signed token valid from an hour ahead"},
	{Name: "no-policy", Status: http.StatusForbidden, Code: "Forbidden", Inner: InnerAccessDenied, Forged: true, Why: "a correctly signed token for an object id no access policy names"},
	{Name: "firewall-allowed", Source: "allowed", Why: "a valid token from an address the firewall allows"},
	{Name: "firewall-denied", Status: http.StatusForbidden, Code: "Forbidden", Inner: InnerFirewall, Source: "denied", Why: "a valid token from an address the firewall denies"},
}

// AuthCaseOf returns the case a request URL probes: the case whose name is
// the longest "-<case>" suffix of the URL's last path segment.
func AuthCaseOf(rawURL string) (AuthCase, bool) {
	p := rawURL
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	p = strings.TrimRight(p, "/")
	last := p[strings.LastIndexByte(p, '/')+1:]
	var best AuthCase
	found := false
	for _, c := range AuthCases {
		if strings.HasSuffix(last, "-"+c.Name) && len(c.Name) > len(best.Name) {
			best, found = c, true
		}
	}
	return best, found
}

// IsAuthProbe reports whether s is an auth-conformance scenario: its mix is
// auth-probe.
func (s *Scenario) IsAuthProbe() bool {
	for _, o := range s.Mix {
		if o.Op == AuthProbe {
			return true
		}
	}
	return false
}
