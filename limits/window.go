package limits

import "fmt"

// WindowModel is how a target counts transactions against the per-window limits.
// The documentation does not say, so the emulator makes it a setting and every
// check states which model its figures assume.
type WindowModel string

const (
	// Sliding allows at most the limit in any interval of one window's length:
	// a transaction at t counts against every check in (t, t+window).
	Sliding WindowModel = "sliding"
	// Fixed counts in buckets of one window's length aligned to the Unix epoch,
	// and empties each bucket when the next begins.
	Fixed WindowModel = "fixed"
	// TokenBucket holds one window's worth of quota (a summed cost of 1.0) and
	// refills it continuously, at one window's worth per window length: a
	// quiet target admits a full window at once, and an overloaded one admits
	// at the limit's rate, evenly, with no bucket edges.
	TokenBucket WindowModel = "token-bucket"
)

// WindowModels lists the known models, the default first.
func WindowModels() []WindowModel { return []WindowModel{Sliding, Fixed, TokenBucket} }

// ParseWindowModel accepts "sliding", "fixed" or "token-bucket" (empty means
// sliding).
func ParseWindowModel(s string) (WindowModel, error) {
	switch WindowModel(s) {
	case Sliding, Fixed, TokenBucket:
		return WindowModel(s), nil
	case "":
		return Sliding, nil
	}
	return "", fmt.Errorf("unknown window model %q (known: sliding, fixed, token-bucket)", s)
}
