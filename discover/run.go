package discover

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/limits"
)

// Config says what to discover and where.
type Config struct {
	// Target is the vault URL, e.g. https://myvault.vault.azure.net.
	Target string
	// Client sends the requests (its transport trusts the target).
	Client *http.Client
	// Tokens gives the bearer token of every request.
	Tokens attack.TokenSource
	// APIVersion is the api-version of every request (attack.DefaultAPIVersion
	// when empty).
	APIVersion string
	// Classes are probed one after another (limits.Secrets when empty).
	Classes []limits.Class
	// Plan bounds each schedule (DefaultPlan when zero).
	Plan Plan
	// Settle is how long to wait after a class's setup request (a key
	// CREATE) before probing it, so that the setup has left the window
	// (10 s, the documented window, when zero). Classes without setup do
	// not wait.
	Settle time.Duration
	// Compare are the documented profiles each finding is compared with.
	Compare []*limits.Profile
	// Log, when set, is told of progress.
	Log func(format string, args ...any)
}

// Run probes each class in turn and returns a finding per class. Between
// classes it waits until one discovered window has passed since the last
// request, so each class starts from a quiet target (every class counts
// against one weighted window).
func Run(ctx context.Context, cfg Config) ([]Finding, error) {
	if cfg.Target == "" || cfg.Client == nil || cfg.Tokens == nil {
		return nil, errors.New("discover: a target URL, an HTTP client and a token source are required")
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = attack.DefaultAPIVersion
	}
	if len(cfg.Classes) == 0 {
		cfg.Classes = []limits.Class{limits.Secrets}
	}
	if cfg.Plan == (Plan{}) {
		cfg.Plan = DefaultPlan()
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 10 * time.Second
	}
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	name, err := probeName()
	if err != nil {
		return nil, err
	}
	var out []Finding
	var quietAt time.Time // when the previous class's window has passed
	for _, c := range cfg.Classes {
		req, err := requestFor(c, name)
		if err != nil {
			return out, err
		}
		if d := time.Until(quietAt); d > 0 {
			logf("%s: waiting %s for the previous class to leave the window", c, d.Round(time.Millisecond))
			if err := sleep(ctx, d); err != nil {
				return out, err
			}
		}
		h := &httpProber{client: cfg.Client, base: strings.TrimRight(cfg.Target, "/"),
			query: "?api-version=" + cfg.APIVersion, tokens: cfg.Tokens, req: req}
		if req.SetupMethod != "" {
			logf("%s: setup %s %s, then waiting %s for it to leave the window", c, req.SetupMethod, req.SetupPath, cfg.Settle)
			if err := h.setup(ctx); err != nil {
				return out, err
			}
			if err := sleep(ctx, cfg.Settle); err != nil {
				return out, err
			}
		}
		logf("%s: probing", c)
		h.start = time.Now()
		obs, fit, err := schedule(ctx, h, cfg.Plan)
		if err == nil && fit.ambiguity() != "" {
			// The evidence could not tell (the intervals were wide: a busy
			// machine; or another client disturbed the target). Once more,
			// after the longest window any model found has passed.
			var w time.Duration
			for _, m := range fit.PerModel {
				w = max(w, m.Window)
			}
			logf("%s: ambiguous (%s); probing again after %s", c, fit.ambiguity(), (w + w/10).Round(time.Millisecond))
			if err := sleep(ctx, w+w/10); err != nil {
				return out, err
			}
			h.start = time.Now()
			obs, fit, err = schedule(ctx, h, cfg.Plan)
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", c, err)
		}
		f := findingOf(c, obs, fit, time.Since(h.start))
		f.Requests = int(h.sent.Load()) // what was spent, setup and any second try included
		f.Throttled = int(h.refused.Load())
		f.Documented = compare(&f, cfg.Compare)
		logf("%s: %s, %d per %s (agreement %.1f%%, margin %.1f%%, %s); %d requests", c, f.Model, f.Limit,
			f.Window.Round(time.Millisecond), 100*f.Agreement, 100*f.Margin, f.Confidence, f.Requests)
		out = append(out, f)
		quietAt = h.start.Add(lastAt(obs)).Add(f.Window + f.Window/10)
	}
	return out, nil
}

func findingOf(c limits.Class, obs []Obs, fit *Fit, took time.Duration) Finding {
	f := Finding{
		Class: c, Model: fit.Best.Kind, Limit: fit.Best.Limit, Window: fit.Best.Window,
		Agreement: fit.Best.Agreement, RunnerUp: fit.RunnerUp, Margin: fit.Margin,
		Confidence: Confidence(fit.Margin), PerModel: fit.PerModel, Took: took,
		Goodput: readSeeds(obs).Goodput, Band: fit.Band, Latency: fit.Latency, Ambiguity: fit.ambiguity(),
	}
	if f.Ambiguous() {
		f.Confidence = "ambiguous"
	}
	for _, o := range obs {
		if !o.OK {
			f.Throttled++
		}
		if o.Phase == PhaseTieBurst {
			f.TieBreak = true
		}
	}
	return f
}

func lastAt(obs []Obs) time.Duration {
	var m time.Duration
	for _, o := range obs {
		m = max(m, o.At)
	}
	return m
}

// probeName is a fresh object name, so that probes never touch a user's
// secrets or keys.
func probeName() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "kvquota-discover-" + hex.EncodeToString(b), nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
