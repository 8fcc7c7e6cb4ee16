package auth

import (
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kvquota/kvquota/emulator/clock"
)

// DefaultSkew is the clock skew allowed on exp and nbf, as Azure AD's own
// token validation libraries allow by default.
const DefaultSkew = 5 * time.Minute

// Principal is the caller a valid token names, for what decides on 403s
// (access policies, RBAC) once it exists.
type Principal struct {
	ClientID string // appid
	ObjectID string // oid
	TenantID string // tid
	Subject  string // sub
}

// Validator checks bearer tokens as Key Vault does. Its fields may be changed
// after NewValidator and before use.
type Validator struct {
	// Keys resolves the token's kid.
	Keys KeySet
	// Audience is the one aud accepted.
	Audience string
	// Tenant is the tid accepted; the iss must be IssuerURL(Tenant).
	Tenant string
	// Clock is the time exp and nbf are judged at.
	Clock clock.Clock
	// Skew is how far exp and nbf may be off.
	Skew time.Duration
	// AcceptAny deliberately breaks validation: any bearer value passes, and
	// the principal is read from the token's claims when they can be decoded.
	// It exists only so that a conformance run can be shown to fail against a
	// lax target (emulator.LaxAcceptAnyToken); never set it otherwise.
	AcceptAny bool

	// verified remembers tokens whose signature checked out (verified.go).
	verified verifiedCache
}

// NewValidator returns a validator for tokens of tenant verified by keys, with
// Key Vault's audience and DefaultSkew.
func NewValidator(keys KeySet, tenant string, clk clock.Clock) *Validator {
	if clk == nil {
		clk = clock.Real()
	}
	return &Validator{Keys: keys, Audience: Resource, Tenant: tenant, Clock: clk, Skew: DefaultSkew}
}

// tokenClaims are the claims the validator reads.
type tokenClaims struct {
	jwt.RegisteredClaims
	AppID    string `json:"appid,omitempty"`
	ObjectID string `json:"oid,omitempty"`
	TenantID string `json:"tid,omitempty"`
}

// Validate checks the value of an Authorization header. On refusal the error is
// always a *Failure.
func (v *Validator) Validate(authorization string) (*Principal, error) {
	scheme, raw, _ := strings.Cut(strings.TrimSpace(authorization), " ")
	if scheme == "" {
		return nil, failMissing()
	}
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, failNotBearer()
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, failMissing()
	}
	if v.AcceptAny {
		return acceptAny(raw), nil
	}

	claims, err := v.verify(raw)
	if err != nil {
		return nil, err
	}

	if !contains(claims.Audience, v.Audience) {
		return nil, failAudience(v.Audience, strings.Join(claims.Audience, ", "))
	}
	if want := IssuerURL(v.Tenant); claims.Issuer != want {
		return nil, failIssuer(want, claims.Issuer)
	}
	if claims.TenantID != v.Tenant {
		return nil, failIssuer(IssuerURL(v.Tenant), IssuerURL(claims.TenantID))
	}
	if claims.ExpiresAt == nil {
		return nil, failMalformed("the token has no exp claim")
	}
	now := v.Clock.Now()
	if now.After(claims.ExpiresAt.Add(v.Skew)) {
		return nil, failExpired()
	}
	if claims.NotBefore != nil && now.Add(v.Skew).Before(claims.NotBefore.Time) {
		return nil, failNotYetValid()
	}
	return &Principal{
		ClientID: claims.AppID,
		ObjectID: claims.ObjectID,
		TenantID: claims.TenantID,
		Subject:  claims.Subject,
	}, nil
}

// verify checks the token's signature, or finds it checked before, and
// returns its claims. On refusal the error is always a *Failure.
func (v *Validator) verify(raw string) (tokenClaims, error) {
	if claims, ok := v.verified.get(raw, v.Keys); ok {
		return claims, nil
	}
	// Look at the header before trusting anything: the algorithm and the key
	// are decided by the vault, never by the token.
	var claims tokenClaims
	unverified, _, err := jwt.NewParser().ParseUnverified(raw, &claims)
	if err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return tokenClaims{}, failMalformed(parseProblem(err))
	}
	// An alg the jwt library does not know (ErrTokenUnverifiable) is as wrong
	// as none or HS256.
	if alg, _ := unverified.Header["alg"].(string); err != nil || alg != jwt.SigningMethodRS256.Alg() {
		return tokenClaims{}, failWrongAlg(alg)
	}
	kid, _ := unverified.Header["kid"].(string)
	key, ok := v.Keys.PublicKey(kid)
	if !ok {
		header, _, _ := strings.Cut(raw, ".")
		return tokenClaims{}, failUnknownKey(header)
	}
	claims = tokenClaims{}
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}), jwt.WithoutClaimsValidation())
	if _, err := p.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return key, nil }); err != nil {
		if errors.Is(err, jwt.ErrTokenSignatureInvalid) {
			return tokenClaims{}, failBadSignature()
		}
		return tokenClaims{}, failMalformed(parseProblem(err))
	}
	v.verified.put(raw, kid, key, claims)
	return claims, nil
}

// acceptAny is the lax validator's principal: the token's unverified claims,
// or nothing at all.
func acceptAny(raw string) *Principal {
	var claims tokenClaims
	_, _, _ = jwt.NewParser().ParseUnverified(raw, &claims)
	return &Principal{ClientID: claims.AppID, ObjectID: claims.ObjectID, TenantID: claims.TenantID, Subject: claims.Subject}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// parseProblem turns a jwt parse error into a short phrase for the 401 body.
func parseProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "the bearer token is not a well-formed JWT"
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		return "the token's claims cannot be read"
	default:
		return "the bearer token cannot be read"
	}
}
