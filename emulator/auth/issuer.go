package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kvquota/kvquota/emulator/clock"
)

// DefaultLifetime is how long an issued token is valid, as Azure AD's default
// access token lifetime.
const DefaultLifetime = time.Hour

// Issuer signs access tokens for the identities it knows, with an RSA-2048
// key: the process's (processKey) unless WithKey gives one, until Rotate
// replaces it with a fresh one.
type Issuer struct {
	tenant string
	// mu guards key, kid and retired: Rotate changes them while the vault
	// validates tokens.
	mu  sync.RWMutex
	key *rsa.PrivateKey
	kid string
	// retired are earlier keys still published and trusted (see Rotate).
	retired    []SigningKey
	clock      clock.Clock
	lifetime   time.Duration
	identities map[string]Identity
}

// Option changes how NewIssuer builds an Issuer.
type Option func(*Issuer)

// WithKey makes the issuer sign with key instead of the process's (tests use
// it to tell issuers apart; a restarted emulator could keep its key).
func WithKey(key *rsa.PrivateKey) Option { return func(i *Issuer) { i.key = key } }

// WithLifetime sets the lifetime of issued tokens (DefaultLifetime otherwise).
func WithLifetime(d time.Duration) Option { return func(i *Issuer) { i.lifetime = d } }

// ErrUnknownClient is returned for a client id the issuer does not know.
var ErrUnknownClient = errors.New("unknown client id")

// ErrBadSecret is returned for a known client id with the wrong secret.
var ErrBadSecret = errors.New("invalid client secret")

// processKey is the signing key of every issuer of this process that was
// given none, generated on first use. Azure AD signs a tenant's tokens with
// the same published keys whichever vault they are for, so emulators sharing
// one is what Azure does; and a suite, which starts an emulator per scenario,
// or a test package that starts dozens, is spared an RSA generation each
// (in the runner tests under -race they took 2.8 of 95 CPU-seconds).
var processKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// NewIssuer returns an issuer for tenant that knows ids.
func NewIssuer(tenant string, ids []Identity, clk clock.Clock, opts ...Option) (*Issuer, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	if err := validateIdentities(ids); err != nil {
		return nil, err
	}
	if clk == nil {
		clk = clock.Real()
	}
	i := &Issuer{
		tenant:     tenant,
		clock:      clk,
		lifetime:   DefaultLifetime,
		identities: make(map[string]Identity, len(ids)),
	}
	for _, id := range ids {
		i.identities[id.ClientID] = id
	}
	for _, o := range opts {
		o(i)
	}
	if i.lifetime <= 0 {
		return nil, fmt.Errorf("token lifetime must be positive, got %s", i.lifetime)
	}
	if i.key == nil {
		key, err := processKey()
		if err != nil {
			return nil, fmt.Errorf("generating the token signing key: %w", err)
		}
		i.key = key
	}
	if i.key.N.BitLen() < 2048 {
		return nil, fmt.Errorf("token signing key has %d bits, want at least 2048", i.key.N.BitLen())
	}
	i.kid = Thumbprint(&i.key.PublicKey)
	return i, nil
}

// Tenant returns the tenant the issuer signs for.
func (i *Issuer) Tenant() string { return i.tenant }

// IssuerURL returns the iss claim of every token: https://sts.windows.net/<tenant>/.
func (i *Issuer) IssuerURL() string { return IssuerURL(i.tenant) }

// IssuerURL is the v1 issuer of tenant.
func IssuerURL(tenant string) string { return "https://sts.windows.net/" + tenant + "/" }

// KeyID returns the kid of the signing key.
func (i *Issuer) KeyID() string {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.kid
}

// PublicKey resolves kid: the current signing key or a retired one still
// published (see Rotate).
func (i *Issuer) PublicKey(kid string) (*rsa.PublicKey, bool) {
	i.mu.RLock()
	defer i.mu.RUnlock()
	if kid == "" {
		return nil, false
	}
	if kid == i.kid {
		return &i.key.PublicKey, true
	}
	for _, k := range i.retired {
		if k.KeyID == kid {
			return k.Public, true
		}
	}
	return nil, false
}

// SigningKeys lists the keys that verify this issuer's tokens, current first:
// what the JWKS endpoint publishes.
func (i *Issuer) SigningKeys() []SigningKey {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return append([]SigningKey{{KeyID: i.kid, Public: &i.key.PublicKey}}, i.retired...)
}

// Authenticate checks a client's credentials: ErrUnknownClient or ErrBadSecret
// when they do not match (in constant time for the secret).
func (i *Issuer) Authenticate(clientID, secret string) (Identity, error) {
	id, ok := i.identities[clientID]
	if !ok {
		return Identity{}, ErrUnknownClient
	}
	if subtle.ConstantTimeCompare([]byte(id.ClientSecret), []byte(secret)) != 1 {
		return Identity{}, ErrBadSecret
	}
	return id, nil
}

// Token is an issued access token.
type Token struct {
	AccessToken string
	IssuedAt    time.Time
	NotBefore   time.Time
	ExpiresOn   time.Time
}

// Issue returns a token for a known client, as the token endpoint would after
// checking its secret. In-process callers (the CLI's own attack against its
// embedded emulator, tests) use it to skip the HTTP round trip.
func (i *Issuer) Issue(clientID string) (Token, error) {
	id, ok := i.identities[clientID]
	if !ok {
		return Token{}, fmt.Errorf("%w %s", ErrUnknownClient, clientID)
	}
	now := i.clock.Now().Truncate(time.Second)
	claims := i.Claims(id, now)
	s, err := i.Sign(claims)
	if err != nil {
		return Token{}, err
	}
	return Token{AccessToken: s, IssuedAt: now, NotBefore: now, ExpiresOn: now.Add(i.lifetime)}, nil
}

// Claims returns the claims of a token for id issued at now, shaped like Azure
// AD's v1 access tokens for Key Vault. Tests change them (a wrong aud, an old
// exp) and sign the result with Sign to build tokens the vault must refuse.
func (i *Issuer) Claims(id Identity, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"aud":      Resource,
		"iss":      i.IssuerURL(),
		"iat":      now.Unix(),
		"nbf":      now.Unix(),
		"exp":      now.Add(i.lifetime).Unix(),
		"appid":    id.ClientID,
		"appidacr": "1",
		"idp":      i.IssuerURL(),
		"oid":      id.ObjectID,
		"sub":      id.ObjectID,
		"tid":      i.tenant,
		"uti":      strings.ReplaceAll(newID(), "-", ""),
		"ver":      "1.0",
	}
}

// Sign signs claims with the issuer's key (RS256), naming the key in the kid
// and x5t headers as Azure AD does.
func (i *Issuer) Sign(claims jwt.MapClaims) (string, error) {
	i.mu.RLock()
	key, kid := i.key, i.kid
	i.mu.RUnlock()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	t.Header["x5t"] = kid
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("signing token: %w", err)
	}
	return s, nil
}
