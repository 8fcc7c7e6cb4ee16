package emulator

import (
	"errors"
	"net/http"
	"strings"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/quota"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// Vault is an emulated key vault. It is an http.Handler, safe for concurrent
// use.
type Vault struct {
	cfg       Config
	issuer    *auth.Issuer
	validator *auth.Validator
	tokens    http.Handler
	limiter   *quota.Limiter
	secrets   *store.Store
	keys      *store.Keys
	certs     *store.Certs
	keygen    *keyMaker
	routes    *router
	out       kverror.Writer
	persist   *persister // nil without Config.DataDir
	// backupKey seals backup blobs (backup.go); --data keeps it.
	backupKey []byte

	// authorize decides, after authentication and before quota, whether the
	// principal may do what it asks: access policies or RBAC and the
	// firewall (403s), as useAccess sets it from Config.Access.
	authorize func(rq *request) *kverror.Error
	// delays slow the vault down on purpose (Config.Latency); nil for none.
	delays *delays
}

// New returns a vault for cfg, with defaults filled in (see Config).
func New(cfg Config) (*Vault, error) { return newVault(cfg) }

// newVault is New with issuer options, so tests can share one signing key.
func newVault(cfg Config, opts ...auth.Option) (*Vault, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.SigningKey != nil {
		opts = append(opts, auth.WithKey(cfg.SigningKey))
	}
	if cfg.TokenLifetime != 0 {
		opts = append(opts, auth.WithLifetime(cfg.TokenLifetime))
	}
	iss, err := auth.NewIssuer(cfg.Tenant, cfg.Identities, cfg.Clock, opts...)
	if err != nil {
		return nil, err
	}
	qf, w429 := faults(cfg.Faults)
	v := &Vault{
		cfg:       cfg,
		out:       kverror.Writer{Wrong429: w429},
		issuer:    iss,
		validator: auth.NewValidator(iss, cfg.Tenant, cfg.Clock),
		tokens:    iss.TokenHandler(),
		limiter:   quota.NewWithFaults(cfg.Profile, cfg.Window, cfg.Clock, qf),
		secrets:   store.New(cfg.Clock),
		keys:      store.NewKeys(cfg.Clock),
		certs:     store.NewCerts(cfg.Clock),
		keygen:    &keyMaker{reuse: cfg.ReuseKeyMaterial},
		routes:    newRouter(),
		backupKey: newBackupKey(),
		authorize: func(*request) *kverror.Error { return nil },
		delays:    newDelays(cfg.Latency),
	}
	v.secrets.UseDeletion(cfg.Deletion)
	v.keys.UseDeletion(cfg.Deletion)
	for _, set := range routeSets {
		v.routes.add(set(v)...)
	}
	guardManaged(v.routes)
	if err := v.useAccess(); err != nil {
		return nil, err
	}
	if cfg.DataDir != "" {
		if v.persist, err = openPersistence(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Config returns the vault's configuration, defaults filled in.
func (v *Vault) Config() Config { return v.cfg }

// Issuer returns the vault's token issuer, so that an in-process caller can
// mint a token (v.Issuer().Issue(auth.DefaultClientID)) without a round trip
// to the token endpoint.
func (v *Vault) Issuer() *auth.Issuer { return v.issuer }

// ResetQuota empties every quota bucket, as if no request had been made.
func (v *Vault) ResetQuota() { v.limiter.Reset() }

// Usage returns what the vault's current quota window holds.
func (v *Vault) Usage() limits.Usage { return v.limiter.Usage(v.cfg.VaultName) }

// ServeHTTP answers one request; see the package documentation for the order
// of the steps.
func (v *Vault) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ob := v.observe(&w, r) // nil, and its methods no-ops, without an Observer
	defer ob.done()
	tw := &trackingWriter{ResponseWriter: w}
	defer v.recoverPanic(tw, r)

	if v.forIdentity(r) {
		v.tokens.ServeHTTP(tw, r)
		return
	}
	// --latency: a slow vault decides late and answers later (latency.go).
	v.delays.before()
	defer v.delays.after()
	// A vault of several, by path prefix (vaults.go).
	vaultName, r, prefix, vok := v.selectVault(r)
	rq := &request{w: tw, r: r, v: v, base: baseURL(r) + prefix}
	if !vok {
		rq.fail(errNoRoute(r.Method, r.URL.Path))
		return
	}

	// 1. api-version and route.
	ver, e := checkAPIVersion(r)
	if e != nil {
		rq.fail(e)
		return
	}
	rq.apiVersion = ver
	rt, params, allowed, routeErr := v.routes.match(r.Method, r.URL.Path)

	// 2. Authentication, before any answer about the route: an SDK learns the
	// tenant from the 401 challenge, whatever path it asked for.
	p, err := v.validator.Validate(r.Header.Get("Authorization"))
	if err != nil {
		v.unauthorized(rq, err)
		return
	}
	rq.principal = p
	if routeErr != nil {
		if len(allowed) > 0 {
			tw.Header().Set("Allow", strings.Join(allowed, ", "))
		}
		rq.fail(routeErr)
		return
	}
	rq.route, rq.params = rt, params
	if e := v.authorize(rq); e != nil {
		rq.fail(e)
		return
	}

	// 3. Quota.
	if c, ok := rt.quotaClass(rq); ok {
		ob.counted(c)
		d := v.limiter.AdmitFrom(vaultName, rq.client(), c)
		ob.decided(d.At)
		if !d.Admitted {
			if v.cfg.RetryAfter {
				tw.Header().Set("Retry-After", kverror.RetryAfter(d.RetryAfter))
			}
			rq.fail(kverror.Throttled())
			return
		}
	}

	// 4. The operation. Key rotations that fell due happen first.
	if rt.need.Collection == access.Keys {
		v.rotateDue()
	}
	rt.handle(rq)
	if mutates(rt) {
		v.persist.changed()
	}
}

// forIdentity reports whether r is for the emulated Azure AD, not the vault.
// Token endpoints: /{tenant}/oauth2/token is taken as a token request unless
// it can be a vault operation ("GET /secrets/oauth2/token" reads version
// "token" of secret "oauth2"); token requests are POSTs. Discovery
// documents: OpenID configuration and JWKS.
func (v *Vault) forIdentity(r *http.Request) bool {
	if tenant, _, ok := auth.ParseTokenPath(r.URL.Path); ok && (r.Method == http.MethodPost || !v.routes.has(tenant)) {
		return true
	}
	tenant, _, ok := auth.ParseMetadataPath(r.URL.Path)
	return ok && !v.routes.has(tenant)
}

// unauthorized answers a 401 with the challenge that sends clients to the
// emulator's own token endpoint.
func (v *Vault) unauthorized(rq *request, err error) {
	msg := auth.MessageMissing
	var f *auth.Failure
	if errors.As(err, &f) {
		msg = f.Message
	}
	if v.cfg.Lax != LaxNoChallenge {
		// The authority is a bare origin, never a vault's path prefix: the
		// SDK takes the tenant from the URL's fourth '/'-part.
		rq.w.Header().Set("WWW-Authenticate", auth.Challenge(challengeAuthority(rq.r), v.cfg.Tenant))
	}
	rq.fail(kverror.Unauthorized(msg))
}

// baseURL is the vault's own URL as the client reached it: the scheme from the
// connection and the Host header, so ids, nextLinks and the challenge are right
// on whatever address the emulator was started.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
