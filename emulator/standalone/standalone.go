// Package standalone is `kvquota emulate`: an emulated vault served on an
// address of the user's choosing until stopped, with its CA certificate
// written out for clients, optional Prometheus metrics and optional state
// kept across restarts. The command only parses flags into Options.
package standalone

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/metrics"
	"github.com/kvquota/kvquota/plan"
)

// Options are what `kvquota emulate` serves.
type Options struct {
	// Plan is the resolved request (plan.Emulate): profile, window model,
	// limits and Retry-After.
	Plan *plan.Plan
	// Addr is where to listen (DefaultAddr, or emulator.DropInAddr with
	// DropIn, when empty).
	Addr string
	// DropIn answers as <vault>.vault.azure.net and login.microsoftonline.com
	// (emulator.Config.DropIn), over the config file's setting.
	DropIn bool
	// ConfigFile is a YAML file of identities, access control and vault
	// settings (emulator.LoadConfigFile); the plan's settings apply over it.
	ConfigFile string
	// DataDir keeps state across restarts (emulator.Config.DataDir).
	DataDir string
	// RetentionDays and PurgeProtection set the vault's deletion policy
	// over the config file's (0 and false leave it).
	RetentionDays   int
	PurgeProtection bool
	// CAOut is where the CA certificate is written ($TMPDIR/kvquota-emulator-ca.pem
	// when empty).
	CAOut string
	// MetricsAddr serves Prometheus metrics there when set.
	MetricsAddr string
}

// DefaultAddr is where `kvquota emulate` listens unless told.
const DefaultAddr = "127.0.0.1:8443"

// Running is a served emulator.
type Running struct {
	URL, CAFile, MetricsURL string
	cfg                     emulator.Config
	plan                    *plan.Plan
	vault                   *emulator.Vault
	srv                     *emulator.Server
	stopMetrics             func() error
}

// Start serves o.
func Start(o Options) (*Running, error) {
	cfg, err := o.config()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
	}
	var obs *metrics.Metrics
	if o.MetricsAddr != "" {
		obs = metrics.New()
		cfg.Observer = obs.Observer()
	}
	v, err := emulator.New(cfg)
	if err != nil {
		return nil, err
	}
	addr := o.Addr
	if addr == "" {
		addr = DefaultAddr
		if cfg.DropIn {
			addr = emulator.DropInAddr
		}
	}
	srv, err := emulator.Start(v, addr)
	if err != nil {
		v.Close()
		return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
	}
	r := &Running{URL: srv.URL, cfg: cfg, plan: o.Plan, vault: v, srv: srv, CAFile: o.CAOut}
	if r.CAFile == "" {
		r.CAFile = filepath.Join(os.TempDir(), "kvquota-emulator-ca.pem")
	}
	if err := os.WriteFile(r.CAFile, srv.CACertPEM, 0o644); err != nil {
		r.Close()
		return nil, err
	}
	if obs != nil {
		if r.MetricsURL, r.stopMetrics, err = obs.Serve(o.MetricsAddr, v); err != nil {
			r.Close()
			return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
		}
	}
	return r, nil
}

// config is the emulator's configuration: the config file's, with the plan's
// settings over it.
func (o Options) config() (emulator.Config, error) {
	var cfg emulator.Config
	if o.ConfigFile != "" {
		var err error
		if cfg, err = emulator.LoadConfigFile(o.ConfigFile); err != nil {
			return cfg, err
		}
	}
	p := o.Plan
	fromPlan := p.EmulatorConfig(p.Emulated(), p.Window)
	cfg.Profile, cfg.Window = fromPlan.Profile, fromPlan.Window
	cfg.RetryAfter = cfg.RetryAfter || fromPlan.RetryAfter
	cfg.Faults = append(cfg.Faults, fromPlan.Faults...)
	if !fromPlan.Latency.IsZero() {
		cfg.Latency = fromPlan.Latency
	}
	if o.DataDir != "" {
		cfg.DataDir = o.DataDir
	}
	if o.RetentionDays != 0 {
		cfg.Deletion.RetentionDays = o.RetentionDays
	}
	cfg.Deletion.PurgeProtection = cfg.Deletion.PurgeProtection || o.PurgeProtection
	cfg.DropIn = cfg.DropIn || o.DropIn
	return cfg, nil
}

// Close stops serving and writes the state of DataDir.
func (r *Running) Close() error {
	if r.stopMetrics != nil {
		r.stopMetrics()
	}
	return r.srv.Close()
}

// WriteBanner tells a person where the emulator is and how to use it.
func (r *Running) WriteBanner(w io.Writer) {
	id := auth.DefaultIdentity()
	p := r.cfg.Profile
	fmt.Fprintf(w, "emulated vault: %s (profile %s, %s window)\n", r.URL, p.Name, r.cfg.Window)
	if sc := r.plan.Scale; sc != nil {
		fmt.Fprintf(w, "time-scaled:    x%g, a %s window (runs against it give the same --time-scale)\n", sc.TimeScale, p.Window)
	}
	fmt.Fprintf(w, "CA certificate: %s\n", r.CAFile)
	fmt.Fprintf(w, "token endpoint: %s/%s/oauth2/token (client %s, the emulator's built-in test identity)\n", r.URL, auth.DefaultTenant, id.ClientID)
	fmt.Fprintf(w, "get a token:    kvquota token --authority %s --ca %s\n", r.URL, r.CAFile)
	fmt.Fprintf(w, "attack it:      kvquota run secrets-onset --target %s --ca %s --token \"$(kvquota token --authority %s --ca %s)\"\n", r.URL, r.CAFile, r.URL, r.CAFile)
	if r.MetricsURL != "" {
		fmt.Fprintf(w, "metrics:        %s (Prometheus text format)\n", r.MetricsURL)
	}
	if r.cfg.DataDir != "" {
		fmt.Fprintf(w, "state:          %s (secrets and keys kept across restarts; written within %s of a change and on exit)\n",
			filepath.Join(r.cfg.DataDir, emulator.StateFile), emulator.FlushDelay)
	}
	if r.cfg.DropIn {
		fmt.Fprint(w, emulator.DropInNotes(r.vault, r.srv))
	}
	if l := r.cfg.Latency; !l.IsZero() {
		fmt.Fprintf(w, "slow on purpose: up to %s before each decision and %s after each answer (--latency, seed %d)\n", l.Before, l.After, l.Seed)
	}
	if len(r.cfg.Faults) > 0 {
		fmt.Fprintf(w, "DELIBERATELY WRONG: %s (--fault); a conformance gate must fail this vault\n", emulator.DescribeFaults(r.cfg.Faults))
	}
	fmt.Fprintln(w, "Ctrl-C stops it.")
}
