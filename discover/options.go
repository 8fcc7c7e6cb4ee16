package discover

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/limits"
)

// Options are the settings of `kvquota discover`, as given on the command
// line, before they are checked.
type Options struct {
	// Target, Token and CAFile name a vault to probe; with no Target the
	// embedded emulator is started with Profile, Window, Limits and
	// TimeScale (settings discovery itself never sees).
	Target, Token, CAFile string
	Profile               string   // emulated and compared with (default 2021)
	Window                string   // emulated window model
	Limits                []string // emulated limit overrides, CLASS=N
	TimeScale             float64  // 0: none
	// Classes to probe (default secrets).
	Classes []string
	// ExpectProfile, when set, makes a difference from that profile a
	// failure (exit 1); without it differences are reported, not failed.
	ExpectProfile string
	Out           string
	Settle        time.Duration
	MaxRate       float64
	Log           func(format string, args ...any)
}

// Outcome is a finished discovery.
type Outcome struct {
	Findings []Finding
	Report   *Report
	Dir      string
	// Failed says why the discovery should exit 1: an ambiguous finding, or
	// a difference from ExpectProfile. Nil when it succeeded.
	Failed error
}

// ErrUsage marks an error in the options (exit 2).
var ErrUsage = errors.New("usage")

// Discover checks o, starts the embedded emulator if no target is given,
// probes every class, and writes the report into o.Out.
func Discover(ctx context.Context, o Options) (*Outcome, error) {
	usage := func(err error) error { return fmt.Errorf("%w: %w", ErrUsage, err) }
	if o.Profile == "" {
		o.Profile = limits.DefaultProfile
	}
	ref, err := limits.Get(o.Profile)
	if err != nil {
		return nil, usage(err)
	}
	if o.ExpectProfile != "" {
		if ref, err = limits.Get(o.ExpectProfile); err != nil {
			return nil, usage(err)
		}
	}
	var classes []limits.Class
	for _, item := range o.Classes {
		for _, s := range strings.Split(item, ",") {
			c, err := limits.ParseClass(s)
			if err != nil {
				return nil, usage(err)
			}
			if _, err := requestFor(c, "x"); err != nil {
				return nil, usage(err)
			}
			classes = append(classes, c)
		}
	}
	var compare []*limits.Profile
	for _, n := range limits.Names() {
		compare = append(compare, limits.MustGet(n))
	}
	var sc *limits.Scaling
	if o.TimeScale != 0 && o.TimeScale != 1 {
		s := limits.DefaultScaling(o.TimeScale)
		if err := s.Validate(); err != nil {
			return nil, usage(err)
		}
		sc = &s
		for i, p := range compare {
			compare[i] = s.Apply(p, s.Factors(p))
		}
		ref = s.Apply(ref, s.Factors(ref))
	}
	cfg := Config{Classes: classes, Compare: compare, Settle: o.Settle, Log: o.Log}
	if o.MaxRate > 0 {
		cfg.Plan = DefaultPlan()
		cfg.Plan.MaxRate = o.MaxRate
	}
	emulated := o.Target == ""
	if emulated {
		if o.Token != "" || o.CAFile != "" {
			return nil, usage(errors.New("--token and --ca go with --target"))
		}
		p := limits.MustGet(o.Profile)
		model, err := limits.ParseWindowModel(o.Window)
		if err != nil {
			return nil, usage(err)
		}
		ov, err := limits.ParseOverrides(o.Limits)
		if err != nil {
			return nil, usage(err)
		}
		emu, err := p.WithOverrides(ov)
		if err != nil {
			return nil, usage(err)
		}
		if sc != nil {
			emu = sc.Apply(emu, sc.Factors(p))
		}
		e, err := StartEmbedded(emu, model)
		if err != nil {
			return nil, err
		}
		defer e.Close()
		cfg.Target, cfg.Client, cfg.Tokens = e.URL, e.Client, e.Tokens
		if cfg.Settle == 0 {
			cfg.Settle = emu.Window + emu.Window/10
		}
	} else {
		if o.Window != "" || len(o.Limits) > 0 || sc != nil {
			return nil, usage(errors.New("--window, --limit and --time-scale configure the embedded emulator; they do not go with --target"))
		}
		if cfg.Client, err = remoteClient(o.Target, o.CAFile); err != nil {
			return nil, usage(err)
		}
		if o.Token == "" {
			return nil, usage(errors.New("--target needs a bearer token: --token or $KVQUOTA_TOKEN"))
		}
		cfg.Target, cfg.Tokens = strings.TrimRight(o.Target, "/"), attack.StaticToken(o.Token)
	}
	start := time.Now()
	fs, err := Run(ctx, cfg)
	if err != nil {
		return &Outcome{Findings: fs}, err
	}
	out := &Outcome{Findings: fs, Report: NewReport(cfg.Target, emulated, fs, ref, start, time.Now())}
	if sc != nil {
		out.Report.Meta.Scaling = sc
		out.Report.Report.TimeScale, out.Report.Report.ScaledLimits = sc.TimeScale, ref.Limits
		out.Report.Meta.ScaledLimits = ref.Limits
	}
	out.Dir = o.Out
	if out.Dir == "" {
		out.Dir = filepath.Join("kvquota-runs", "discover-"+start.Format("20060102-150405"))
	}
	if err := out.Report.Write(out.Dir); err != nil {
		return out, err
	}
	for _, f := range fs {
		if f.Ambiguous() {
			out.Failed = fmt.Errorf("%s: ambiguous: %s and %s fit about equally well (lead %.1f points, below %.0f)", f.Class, f.Model, f.RunnerUp.Kind, 100*f.Margin, 100*TieMargin)
			return out, nil
		}
	}
	if o.ExpectProfile != "" && !out.Report.Report.Pass {
		out.Failed = fmt.Errorf("the target differs from profile %s", ref.Name)
	}
	return out, nil
}

func remoteClient(raw, caFile string) (*http.Client, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme != "https" {
		return nil, fmt.Errorf("target %q is not an https vault URL such as https://myvault.vault.azure.net", raw)
	}
	tlsc, err := attack.ClientTLS(caFile)
	if err != nil {
		return nil, err
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: tlsc, MaxIdleConnsPerHost: maxInflight, ForceAttemptHTTP2: false,
	}}, nil
}
