package runner

import (
	"crypto/x509"
	"encoding/pem"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
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

// authEmulator returns a startEmulator for a run that probes authentication:
// with probe, the emulator gets authAccess and the target carries what the
// auth cases need (a forger over the emulator's own issuer, the source
// addresses); lax makes the emulator deliberately wrong (emulator.Lax).
func authEmulator(probe bool, lax string) func(*limits.Profile, limits.WindowModel, bool, bool) (*target, error) {
	return func(p *limits.Profile, model limits.WindowModel, retryAfter, reuseKeys bool) (*target, error) {
		l, err := emulator.ParseLax(lax)
		if err != nil {
			return nil, err
		}
		cfg := emulator.Config{Profile: p, Window: model, RetryAfter: retryAfter, ReuseKeyMaterial: reuseKeys, Lax: l}
		if probe {
			cfg.Access = authAccess()
		}
		t, err := serveEmulator(cfg)
		if err != nil {
			return nil, err
		}
		if probe {
			t.auth = attack.AuthOptions{
				Forger:        issuerForger{t.vault.Issuer()},
				AllowedSource: authAllowedSource,
				DeniedSource:  authDeniedSource,
			}
		}
		return t, nil
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
