package discover

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Finding is what discovery learned about one transaction class, with its
// evidence.
type Finding struct {
	Class limits.Class `json:"class"`
	// Model, Limit and Window are the best fit; Phase (fixed only) is where
	// its buckets begin, as an offset from the schedule's start.
	Model  limits.WindowModel `json:"model"`
	Limit  int                `json:"limit"`
	Window time.Duration      `json:"window_ns"`
	// Agreement is the share of the schedule's outcomes the best fit
	// predicts; Margin its lead over the best fit of another model
	// (RunnerUp); Confidence words the margin ("high", "medium",
	// "ambiguous").
	Agreement  float64 `json:"agreement"`
	RunnerUp   Fitted  `json:"runner_up"`
	Margin     float64 `json:"margin"`
	Confidence string  `json:"confidence"`
	// PerModel is every window model's best fit.
	PerModel []Fitted `json:"per_model"`
	// Band is every candidate that explains the outcomes about as well as
	// the best, per model, and Latency how wide the requests' decision
	// intervals were: what the evidence could not tell apart, and why.
	Band    Band    `json:"band"`
	Latency Latency `json:"latency"`
	// Ambiguity, when set, says why the finding names no model, limit and
	// window (the best of each is still reported): the evidence is
	// inconclusive, not the target wrong.
	Ambiguity string `json:"ambiguity,omitempty"`
	// Requests is how many requests the schedule spent (Throttled of them
	// answered 429), and Goodput the successes per second under overload.
	Requests  int     `json:"requests"`
	Throttled int     `json:"throttled"`
	Goodput   float64 `json:"goodput_per_s"`
	// TieBreak says the schedule needed its tie-breaking burst.
	TieBreak bool `json:"tie_break,omitempty"`
	// Took is the schedule's wall time.
	Took time.Duration `json:"took_ns"`
	// Documented compares the finding with each documented profile.
	Documented []Comparison `json:"documented"`
}

// Ambiguous reports whether the evidence could not name one model, limit and
// window: Ambiguity is set (the band of fits is wider than the tolerances),
// no model led by TieMargin, or the best explained less than MinAgreement
// of the outcomes.
func (f *Finding) Ambiguous() bool {
	return f.Ambiguity != "" || f.Margin < TieMargin || f.Agreement < MinAgreement
}

// Why says why the finding is ambiguous ("" when it is not).
func (f *Finding) Why() string {
	switch {
	case f.Ambiguity != "":
		return f.Ambiguity
	case f.Agreement < MinAgreement:
		return fmt.Sprintf("the best fit explains only %.1f%% of outcomes, below %.1f%%", 100*f.Agreement, 100*MinAgreement)
	case f.Margin < TieMargin:
		return fmt.Sprintf("%s and %s fit about equally well (lead %.1f points, below %.1f)", f.Model, f.RunnerUp.Kind, 100*f.Margin, 100*TieMargin)
	}
	return ""
}

// Comparison holds a finding against one documented profile.
type Comparison struct {
	Profile string `json:"profile"`
	// Limit and Window are the documented figures for the class (scaled, if
	// the profile was).
	Limit  int           `json:"limit"`
	Window time.Duration `json:"window_ns"`
	// LimitMatches is the found limit within LimitTolerance of Limit, and
	// WindowMatches the found window within WindowTolerance of Window.
	LimitMatches  bool `json:"limit_matches"`
	WindowMatches bool `json:"window_matches"`
}

// The tolerances a finding is held to against a documented figure: a
// schedule pins a limit to a transaction or two and a window to a few
// percent.
const (
	LimitTolerance  = 0.02
	WindowTolerance = 0.10
)

func compare(f *Finding, profiles []*limits.Profile) []Comparison {
	var out []Comparison
	for _, p := range profiles {
		c := Comparison{Profile: p.Name, Limit: p.Limit(f.Class), Window: p.Window}
		c.LimitMatches = within(float64(f.Limit), float64(c.Limit), LimitTolerance)
		c.WindowMatches = within(f.Window.Seconds(), c.Window.Seconds(), WindowTolerance)
		out = append(out, c)
	}
	return out
}

func within(m, e, tol float64) bool { return math.Abs(m-e) <= tol*e+1e-9 }

// Verdict words the comparisons: "matches 2021 (4000 / 10s), not 2018 (2000 / 10s)".
func (f *Finding) Verdict() string {
	var yes, no []string
	for _, c := range f.Documented {
		s := fmt.Sprintf("%s (%d / %s)", c.Profile, c.Limit, c.Window)
		if c.LimitMatches && c.WindowMatches {
			yes = append(yes, s)
		} else {
			no = append(no, s)
		}
	}
	switch {
	case len(yes) > 0 && len(no) > 0:
		return "matches " + strings.Join(yes, ", ") + ", not " + strings.Join(no, ", ")
	case len(yes) > 0:
		return "matches " + strings.Join(yes, ", ")
	case len(no) > 0:
		return "differs from " + strings.Join(no, ", ")
	}
	return "no documented figure"
}
