package attack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

// Forger signs tokens with the authority's own key, for the auth cases whose
// token must verify and still be refused (wrong audience, expired, ...). Only
// whoever holds the key can be one: the embedded emulator's runner, never a
// client of a real vault, so against a real vault those cases are not sent.
type Forger interface {
	// SignRS256 signs claims as the authority does: RS256, its kid.
	SignRS256(claims map[string]any) (string, error)
	// PublicKeyPEM is the authority's verification key as PKIX PEM: public
	// knowledge (its JWKS), used as the HMAC secret of the HS256 forgery.
	PublicKeyPEM() []byte
}

// AuthOptions say which auth cases can be sent and how.
type AuthOptions struct {
	// Forger signs the forged cases; nil leaves them out.
	Forger Forger
	// AllowedSource and DeniedSource are loopback addresses (127.0.0.2,
	// 127.0.0.3, ...) the firewall cases are sent from; empty leaves the case
	// out. Each request's source is chosen by a routing transport, because
	// vegeta's own LocalAddr option binds every request of an attacker.
	AllowedSource, DeniedSource string
}

// sourceHeader carries a request's chosen source from the targeter to the
// routing transport, which removes it before the request leaves.
const sourceHeader = "X-Kvquota-Source"

// authTargeter sends the cases of scenarios.AuthCases in turn.
type authTargeter struct {
	b     *builder
	name  string
	cases []scenarios.AuthCase
	opts  AuthOptions
	n     atomic.Uint64
	now   func() time.Time
}

// AuthCasesFor returns the cases NewAuthTargeter sends with o, in order.
func AuthCasesFor(o AuthOptions) []scenarios.AuthCase {
	var out []scenarios.AuthCase
	for _, c := range scenarios.AuthCases {
		switch {
		case c.Forged && o.Forger == nil:
		case c.Source == "allowed" && o.AllowedSource == "":
		case c.Source == "denied" && o.DeniedSource == "":
		default:
			out = append(out, c)
		}
	}
	return out
}

// NewAuthTargeter returns the targeter of an auth-conformance scenario: each
// request reads secret "<name>-<case>" (name from the scenario's auth-probe
// entry) with the Authorization header and source address of the next case
// of AuthCasesFor(o), round robin. tokens gives the valid token the cases
// start from; it is needed.
func NewAuthTargeter(base string, s *scenarios.Scenario, tokens TokenSource, o AuthOptions, opts ...TargeterOption) (vegeta.Targeter, error) {
	if tokens == nil {
		return nil, errors.New("the auth cases start from a valid token: a token source is needed")
	}
	b, err := newBuilder(base, tokens, opts)
	if err != nil {
		return nil, err
	}
	name := ""
	for _, op := range s.Mix {
		if op.Op == scenarios.AuthProbe {
			name = op.Name
		}
	}
	if name == "" {
		return nil, fmt.Errorf("scenario %s has no %s entry with a name", s.Name, scenarios.AuthProbe)
	}
	t := &authTargeter{b: b, name: name, cases: AuthCasesFor(o), opts: o, now: time.Now}
	return t.next, nil
}

func (t *authTargeter) next(tgt *vegeta.Target) error {
	c := t.cases[(t.n.Add(1)-1)%uint64(len(t.cases))]
	h := make(http.Header, 4)
	h["X-Ms-Client-Request-Id"] = []string{newRequestID()}
	if t.b.userAgent != "" {
		h["User-Agent"] = []string{t.b.userAgent}
	}
	authz, err := t.authorization(c)
	if err != nil {
		return fmt.Errorf("auth case %s: %w", c.Name, err)
	}
	if authz != "" {
		h["Authorization"] = []string{authz}
	}
	switch c.Source {
	case "allowed":
		h[sourceHeader] = []string{t.opts.AllowedSource}
	case "denied":
		h[sourceHeader] = []string{t.opts.DeniedSource}
	}
	*tgt = vegeta.Target{
		Method: http.MethodGet,
		URL:    t.b.base + "/secrets/" + url.PathEscape(t.name+"-"+c.Name) + t.b.query,
		Header: h,
	}
	return nil
}

// authorization is the Authorization header of case c ("" for none).
func (t *authTargeter) authorization(c scenarios.AuthCase) (string, error) {
	switch c.Name {
	case "missing":
		return "", nil
	case "not-bearer":
		return "Basic " + base64.StdEncoding.EncodeToString([]byte("kvquota:probe")), nil
	case "malformed":
		return "Bearer kvquota-this-is-not-a-jwt", nil
	}
	tok, err := t.b.tokens.Token(t.b.ctx)
	if err != nil {
		return "", fmt.Errorf("getting a bearer token: %w", err)
	}
	if err := checkToken(tok); err != nil {
		return "", err
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 && c.Name != "authorized" && c.Name != "firewall-allowed" && c.Name != "firewall-denied" {
		return "", errors.New("the token source's token is not a JWT, so it cannot be altered")
	}
	b64 := base64.RawURLEncoding
	switch c.Name {
	case "bad-signature":
		sig := []byte(parts[2])
		i := len(sig) / 2
		if sig[i] == 'A' {
			sig[i] = 'B'
		} else {
			sig[i] = 'A'
		}
		return "Bearer " + parts[0] + "." + parts[1] + "." + string(sig), nil
	case "unknown-kid":
		hdr, err := decodeJSON(parts[0])
		if err != nil {
			return "", err
		}
		hdr["kid"], hdr["x5t"] = "kvquota-unpublished-key", "kvquota-unpublished-key"
		return "Bearer " + encodeJSON(hdr) + "." + parts[1] + "." + parts[2], nil
	case "alg-none":
		return "Bearer " + encodeJSON(map[string]any{"typ": "JWT", "alg": "none"}) + "." + parts[1] + ".", nil
	case "hs256-public-key":
		hdr, err := decodeJSON(parts[0])
		if err != nil {
			return "", err
		}
		hdr["alg"] = "HS256"
		signing := encodeJSON(hdr) + "." + parts[1]
		mac := hmac.New(sha256.New, t.opts.Forger.PublicKeyPEM())
		mac.Write([]byte(signing))
		return "Bearer " + signing + "." + b64.EncodeToString(mac.Sum(nil)), nil
	case "wrong-audience", "wrong-issuer", "expired", "not-yet-valid", "no-policy":
		claims, err := decodeJSON(parts[1])
		if err != nil {
			return "", err
		}
		now := t.now().Unix()
		switch c.Name {
		case "wrong-audience":
			claims["aud"] = "https://management.azure.com"
		case "wrong-issuer":
			claims["iss"] = "https://sts.windows.net/" + otherTenant + "/"
			claims["tid"] = otherTenant
		case "expired":
			claims["iat"], claims["nbf"], claims["exp"] = now-7200, now-7200, now-3600
		case "not-yet-valid":
			claims["iat"], claims["nbf"], claims["exp"] = now+3600, now+3600, now+7200
		case "no-policy":
			claims["oid"], claims["sub"] = unlistedObject, unlistedObject
		}
		signed, err := t.opts.Forger.SignRS256(claims)
		if err != nil {
			return "", err
		}
		return "Bearer " + signed, nil
	}
	return "Bearer " + tok, nil
}

// otherTenant and unlistedObject are ids no vault knows.
const (
	otherTenant    = "0000dead-0000-4000-8000-6b7671756f74"
	unlistedObject = "0000beef-0000-4000-8000-6b7671756f74"
)

func decodeJSON(seg string) (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, errors.New("the token source's token has a segment that is not base64url")
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, errors.New("the token source's token has a segment that is not JSON")
	}
	return m, nil
}

func encodeJSON(m map[string]any) string {
	b, _ := json.Marshal(m) // maps of JSON-decoded values always encode
	return base64.RawURLEncoding.EncodeToString(b)
}
