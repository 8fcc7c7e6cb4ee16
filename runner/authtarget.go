package runner

import (
	"crypto/x509"
	"encoding/pem"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
)

// The loopback addresses the auth-conformance run sends its firewall cases
// from: the embedded emulator's firewall allows the first and denies the
// second. On Linux every 127.0.0.0/8 address is local without set-up.
const (
	authAllowedSource = "127.0.0.2"
	authDeniedSource  = "127.0.0.3"
)

// authAccess is the embedded emulator's access control for an auth-conformance
// run: an access policy that grants the default identity everything (so an
// object id no policy names is refused), and a firewall that denies by
// default and allows 127.0.0.1 and authAllowedSource.
func authAccess() access.Config {
	return access.Config{
		Policies: []access.Policy{{ObjectID: auth.DefaultObjectID, Secrets: []string{"all"}, Keys: []string{"all"}}},
		Firewall: access.Firewall{DefaultAction: "Deny", IPRules: []string{"127.0.0.1", authAllowedSource}},
	}
}

// authOptions is what an auth-conformance run's cases may use against the
// embedded emulator v: a forger over its own issuer, and the source addresses
// its firewall allows and denies.
func authOptions(v *emulator.Vault) attack.AuthOptions {
	return attack.AuthOptions{
		Forger:        issuerForger{v.Issuer()},
		AllowedSource: authAllowedSource,
		DeniedSource:  authDeniedSource,
	}
}

// issuerForger signs with the embedded emulator's own token key: the one
// party that can make tokens that verify and must still be refused.
type issuerForger struct{ iss *auth.Issuer }

func (f issuerForger) SignRS256(claims map[string]any) (string, error) {
	return f.iss.Sign(jwt.MapClaims(claims))
}

func (f issuerForger) PublicKeyPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(f.iss.SigningKeys()[0].Public)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
