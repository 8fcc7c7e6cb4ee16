package plots

import (
	"errors"
	"fmt"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Input says what the figures are of.
type Input struct {
	// Scenario names the run in the titles.
	Scenario string
	// Start is the start of the attack, the origin of the time axis. Zero
	// means the send time of the earliest result.
	Start time.Time
	// Profile holds the limits drawn as dashed lines (required).
	Profile *limits.Profile
	// Window is the model the window figure shows; empty or limits.AnyModel
	// means limits.Sliding.
	Window limits.WindowModel
	// Classify names the transaction class of a request. Nil means
	// limits.ClassifySecretRequest on the URL's path. Requests it cannot
	// classify count in the throughput figure but not in the window figure.
	Classify limits.Classifier
	// PerClass says the target limits each class on its own: the window
	// figure then leaves out the weighted sum of a mix.
	PerClass bool
}

// ErrNoResults is returned by Draw for a run without a single result.
var ErrNoResults = errors.New("plots: the run holds no results, so there is nothing to draw")

func (in *Input) validate() error {
	if in.Profile == nil {
		return errors.New("plots: no limits profile given")
	}
	if in.Profile.Window <= 0 {
		return fmt.Errorf("plots: profile %q has no window (got %v)", in.Profile.Name, in.Profile.Window)
	}
	if in.Window == "" || in.Window == limits.AnyModel {
		in.Window = limits.Sliding
	}
	if _, err := limits.ParseWindowModel(string(in.Window)); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// title is the heading both figures share, e.g.
// "secrets-onset — profile 2021, sliding window".
func (in *Input) title() string {
	name := in.Scenario
	if name == "" {
		name = "kvquota run"
	}
	t := fmt.Sprintf("%s — profile %s, %s window", name, in.Profile.Name, in.Window)
	if len(in.Profile.Overridden) > 0 {
		t += " (limits overridden)"
	}
	return t
}
