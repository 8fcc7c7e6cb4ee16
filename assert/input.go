package assert

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// Input is what a run is judged against.
type Input struct {
	// Profile holds the limits to judge against (required).
	Profile *limits.Profile
	// Window narrows the window models the run is judged under to one kind;
	// empty means limits.AnyModel: every model the documentation allows.
	Window limits.WindowModel
	// Start is the start of the attack: verdicts' At and the stages' spans are
	// offsets from it. Zero means the send time of the earliest result.
	Start time.Time
	// Stages are the offered load as it was run; goodput needs them.
	Stages []scenarios.Span
	// Expect lists the checks to run, in the order verdicts are returned.
	Expect []scenarios.Expectation
	// Classify names the transaction class of a request. Nil means
	// limits.ClassifySecretRequest on the URL's path. Requests it cannot
	// classify are counted and mentioned, but not judged.
	Classify limits.Classifier
	// PerClass says the target limits each class on its own. By default a run
	// that mixes classes is judged on their weighted sum, as the documentation
	// says Key Vault enforces.
	PerClass bool
}

// Default tolerances, relative, of the checks whose Expectation leaves it zero.
const (
	DefaultOnsetTolerance   = 0.01
	DefaultGoodputTolerance = 0.02
)

// defaultTolerance returns the tolerance a check uses when the scenario gives none.
func defaultTolerance(c scenarios.CheckName) float64 {
	switch c {
	case scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckSubscriptionOnset, scenarios.CheckVaultOnset:
		return DefaultOnsetTolerance
	case scenarios.CheckGoodput:
		return DefaultGoodputTolerance
	}
	return 0
}

// knownChecks lists the checks Check implements, for error messages.
var knownChecks = []scenarios.CheckName{
	scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckNoThrottle,
	scenarios.CheckGoodput, scenarios.CheckErrorShape, scenarios.CheckSubscriptionOnset, scenarios.CheckVaultOnset,
	scenarios.CheckAuth, scenarios.CheckAnswered,
}

// validate checks the input before any result is read, so a bad scenario or
// profile fails fast with a message that names the problem.
func (in *Input) validate() error {
	if in.Profile == nil {
		return errors.New("assert: no limits profile given")
	}
	if in.Profile.Window <= 0 {
		return fmt.Errorf("assert: profile %q has no window (got %v)", in.Profile.Name, in.Profile.Window)
	}
	if in.Window == "" {
		in.Window = limits.AnyModel
	}
	if _, err := limits.ParseWindowModel(string(in.Window)); err != nil {
		return fmt.Errorf("assert: %w", err)
	}
	for i, s := range in.Stages {
		if s.To < s.From {
			return fmt.Errorf("assert: stage %d ends (%v) before it starts (%v)", s.Stage, s.To, s.From)
		}
		if math.IsNaN(s.StartRate) || math.IsNaN(s.EndRate) || s.StartRate < 0 || s.EndRate < 0 {
			return fmt.Errorf("assert: stage %d (span %d) has a bad rate %v..%v", s.Stage, i, s.StartRate, s.EndRate)
		}
	}
	for i, e := range in.Expect {
		if !isKnownCheck(e.Check) {
			return fmt.Errorf("assert: expect[%d]: unknown check %q (known: %v)", i, e.Check, knownChecks)
		}
		if math.IsNaN(e.Tolerance) || e.Tolerance < 0 {
			return fmt.Errorf("assert: expect[%d] (%s): tolerance %v is negative", i, e.Check, e.Tolerance)
		}
		if e.Stage < 0 {
			return fmt.Errorf("assert: expect[%d] (%s): stage %d is negative", i, e.Check, e.Stage)
		}
		if e.Stage > 0 && in.span(e.Stage) == nil {
			return fmt.Errorf("assert: expect[%d] (%s): stage %d is not among the run's %d stages", i, e.Check, e.Stage, len(in.Stages))
		}
	}
	return nil
}

func isKnownCheck(c scenarios.CheckName) bool {
	for _, k := range knownChecks {
		if c == k {
			return true
		}
	}
	return false
}

// span returns the span of the 1-based stage n, or nil.
func (in *Input) span(n int) *scenarios.Span {
	for i := range in.Stages {
		if in.Stages[i].Stage == n {
			return &in.Stages[i]
		}
	}
	return nil
}
