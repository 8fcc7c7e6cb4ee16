package auth

import (
	"fmt"
	"regexp"
)

// Resource is Key Vault's resource identifier: the only audience the vault
// accepts, the v1 token endpoint's resource and, with "/.default", the v2 scope.
const Resource = "https://vault.azure.net"

// Scope is the v2 token endpoint's scope for Key Vault.
const Scope = Resource + "/.default"

// The default tenant and identity of the emulator. They are emulator-only test
// credentials, published on purpose so that any client can sign in to an
// emulator it did not configure; they open nothing but an emulator.
const (
	DefaultTenant       = "7e2c5a31-0c1d-4e8a-9f3b-6b7671756f74"
	DefaultClientID     = "4d1f6c9a-2b7e-4c35-8a10-6b7671756f74"
	DefaultClientSecret = "kvquota-emulator-secret"
	DefaultObjectID     = "0b9e3f5d-7a21-4c6e-b8d4-6b7671756f74"
)

// Identity is an application (service principal) that may get tokens.
type Identity struct {
	// ClientID is the application id (the token's appid claim).
	ClientID string
	// ClientSecret is what the client proves itself with. It is compared, never
	// logged or echoed.
	ClientSecret string
	// ObjectID is the service principal's object id (the oid and sub claims),
	// the id access policies name.
	ObjectID string
}

// DefaultIdentity is the identity every emulator knows unless told otherwise.
func DefaultIdentity() Identity {
	return Identity{ClientID: DefaultClientID, ClientSecret: DefaultClientSecret, ObjectID: DefaultObjectID}
}

// String names the identity without its secret.
func (id Identity) String() string {
	return fmt.Sprintf("client %s (object %s)", id.ClientID, id.ObjectID)
}

// GoString keeps the secret out of %#v as well.
func (id Identity) GoString() string { return "auth.Identity{" + id.String() + "}" }

var tenantPattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.-]{0,255}$`)

// ValidateTenant reports whether s can be a tenant: a GUID or a domain name,
// usable as a URL path segment.
func ValidateTenant(s string) error {
	if !tenantPattern.MatchString(s) {
		return fmt.Errorf("tenant %q: want a GUID or a domain name (letters, digits, '.', '-')", s)
	}
	return nil
}

func validateIdentities(ids []Identity) error {
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		switch {
		case id.ClientID == "":
			return fmt.Errorf("identity %d: empty client id", i+1)
		case id.ClientSecret == "":
			return fmt.Errorf("identity %d (client %s): empty client secret", i+1, id.ClientID)
		case id.ObjectID == "":
			return fmt.Errorf("identity %d (client %s): empty object id", i+1, id.ClientID)
		case seen[id.ClientID]:
			return fmt.Errorf("identity %d: client id %s is listed twice", i+1, id.ClientID)
		}
		seen[id.ClientID] = true
	}
	return nil
}

// ClientIdentities returns n identities for a scenario that spreads its
// requests over several clients: the default identity first, then clients
// 2..n, whose ids end in the client's number. Like the default, they are
// published emulator-only test credentials that open nothing but an
// emulator.
func ClientIdentities(n int) []Identity {
	out := []Identity{DefaultIdentity()}
	for k := 2; k <= n; k++ {
		out = append(out, Identity{
			ClientID:     fmt.Sprintf("4d1f6c9a-2b7e-4c35-8a10-%012d", k),
			ClientSecret: fmt.Sprintf("%s-%d", DefaultClientSecret, k),
			ObjectID:     fmt.Sprintf("0b9e3f5d-7a21-4c6e-b8d4-%012d", k),
		})
	}
	return out
}
