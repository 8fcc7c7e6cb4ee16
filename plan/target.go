package plan

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kvquota/kvquota/attack"
)

// Target is what a plan attacks or probes and how it signs in there.
type Target struct {
	// URL is the vault's base URL, without a trailing slash; empty is the
	// embedded emulator.
	URL string
	// CAFile is a PEM file of extra roots to trust for URL.
	CAFile string
	// SignIn is how tokens are got.
	SignIn SignIn
}

// Embedded reports whether the target is the embedded emulator.
func (t Target) Embedded() bool { return t.URL == "" }

// SignIn is one of the ways to get a Key Vault token: a bearer token as
// given, a client secret, or DefaultAzureCredential (for a real vault), or the
// embedded emulator's own identity.
type SignIn struct {
	// Token is a bearer token, used as it is.
	Token string
	// TenantID, ClientID and ClientSecret: a client-secret sign-in when the
	// secret is set; TenantID alone is DefaultAzureCredential's hint.
	TenantID, ClientID, ClientSecret string
}

// Describe names the sign-in for status lines; it never shows a secret or a
// token.
func (s SignIn) Describe(embedded bool) string {
	switch {
	case s.Token != "":
		return "the bearer token given"
	case s.ClientSecret != "":
		return fmt.Sprintf("client secret of client %s in tenant %s", s.ClientID, s.TenantID)
	case embedded:
		return "the embedded emulator's built-in test identity"
	}
	return "DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI)"
}

// Authority is where a sign-in goes when it is not Microsoft Entra ID's
// public cloud: the embedded emulator's token endpoints.
type Authority struct {
	// Host is the authority host (the emulator's URL); empty is Entra ID.
	Host string
	// Client carries the sign-in (it must trust the emulator's CA).
	Client *http.Client
	// Builtin is the token source of the emulator's built-in identity, used
	// when the sign-in names no credential.
	Builtin attack.TokenSource
}

// TokenSource returns the tokens of the sign-in. An embedded target signs in
// at its own authority; a client secret goes through azidentity as an
// application's would.
func (s SignIn) TokenSource(a Authority) (attack.TokenSource, error) {
	if s.Token != "" {
		return attack.StaticToken(s.Token), nil
	}
	if s.ClientSecret == "" && a.Builtin != nil {
		return a.Builtin, nil
	}
	return attack.NewAzureCredential(attack.CredentialOptions{
		TenantID: s.TenantID, ClientID: s.ClientID, ClientSecret: s.ClientSecret,
		AuthorityHost: a.Host, DisableInstanceDiscovery: a.Host != "", Client: a.Client,
	})
}

// resolveTarget decides the target and the sign-in, and refuses settings the
// target cannot honour.
func (p *Plan) resolveTarget(r Request) error {
	raw := r.Target
	if raw == "" && p.Command == Run {
		raw = p.Scenarios[0].Target
	}
	switch p.Command {
	case Clientcheck, Emulate:
		if raw != "" || r.Token != "" || r.CAFile != "" {
			return usagef("%s serves its own emulated vault: it takes no --target, --token or --ca", p.Command)
		}
	}
	secret := r.Getenv(EnvClientSecret)
	if raw == "" {
		if p.Shard != nil && p.Shard.Count > 1 {
			return usagef("--shard %s: the shards of a run attack one target, and each embedded emulator is a vault of its own: give --target (a vault, or a kvquota emulate)", p.Shard)
		}
		return p.embeddedSignIn(r, secret)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return usagef("target %q is not a vault URL such as https://myvault.vault.azure.net", raw)
	}
	if u.Scheme != "https" && p.Command == Discover {
		return usagef("target %q is not an https vault URL such as https://myvault.vault.azure.net", raw)
	}
	if err := p.remoteOnly(r, u); err != nil {
		return err
	}
	token := r.Token
	if token == "" {
		token = r.Getenv(EnvToken)
	}
	s := SignIn{Token: token, TenantID: r.TenantID, ClientID: r.ClientID}
	if token == "" && r.ClientID != "" {
		if secret == "" {
			return usagef("--client-id signs in with a client secret: set $%s (or give --token)", EnvClientSecret)
		}
		if r.TenantID == "" {
			return usagef("a client-secret sign-in needs --tenant as well as --client-id")
		}
		s.ClientSecret = secret
	}
	p.Target = Target{URL: strings.TrimRight(u.String(), "/"), CAFile: r.CAFile, SignIn: s}
	return nil
}

// remoteOnly refuses, for a real target, what only the embedded emulator can
// be made to do. A time scale is allowed for a loopback target: a `kvquota
// emulate --time-scale` serving several shards of one run, which must be
// started with the same scale (nothing can ask it).
func (p *Plan) remoteOnly(r Request, u *url.URL) error {
	switch {
	case len(p.TargetLimits) > 0:
		return usagef("--limit changes the embedded emulator; it cannot change a real target")
	case p.Lax != "":
		return usagef("--lax changes the embedded emulator; it cannot change a real target")
	case len(p.Faults) > 0:
		return usagef("--fault changes the embedded emulator; it cannot change a real target")
	case !p.Latency.IsZero():
		return usagef("--latency slows the embedded emulator; it cannot slow a real target")
	case r.RetryAfter:
		return usagef("--retry-after changes the embedded emulator; it cannot change a real target")
	case p.Scale != nil && !(loopbackTarget(u) && (p.Command == Run || p.Command == Suite)):
		return usagef("--time-scale shrinks the embedded emulator's windows; a real vault's are 10 s (a loopback target, a 'kvquota emulate --time-scale' with the same scale, may be time-scaled)")
	case p.Command == Discover && r.Window != "":
		return usagef("--window configures the embedded emulator; discover finds a real target's")
	}
	for _, s := range p.Scenarios {
		if s.Clients > 1 {
			return usagef("scenario %s spreads over %d client identities, which only the embedded emulator can issue", s.Name, s.Clients)
		}
		if n := s.Vaults(); n > 1 {
			return usagef("scenario %s spreads over %d vaults, which only the embedded emulator serves from one URL", s.Name, n)
		}
	}
	return nil
}

// embeddedSignIn decides how to sign in to the embedded emulator: with its
// built-in identity, or with the client secret given, through its own token
// endpoint as an application would.
func (p *Plan) embeddedSignIn(r Request, secret string) error {
	switch {
	case r.Token != "":
		return usagef("--token is for --target: the embedded emulator signs its own tokens (to sign in as its identity, give --tenant, --client-id and $%s)", EnvClientSecret)
	case r.CAFile != "":
		return usagef("--ca is for --target: the run trusts the embedded emulator's own certificate")
	case r.TenantID == "" && r.ClientID == "":
		return nil // the built-in identity
	case r.TenantID == "" || r.ClientID == "":
		return usagef("signing in to the embedded emulator takes --tenant and --client-id together, with $%s", EnvClientSecret)
	case secret == "":
		return usagef("--tenant and --client-id sign in to the embedded emulator with a client secret: set $%s", EnvClientSecret)
	}
	p.Target.SignIn = SignIn{TenantID: r.TenantID, ClientID: r.ClientID, ClientSecret: secret}
	return nil
}
