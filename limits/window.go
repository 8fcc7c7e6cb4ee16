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
	// AnyModel judges a run under every model above and accepts it when one
	// of them explains all of it: the documentation allows each. It is a way
	// to judge, not a way to count: an emulator asked for it counts sliding.
	AnyModel WindowModel = "any"
)

// WindowModels lists the known models, the default first.
func WindowModels() []WindowModel { return []WindowModel{Sliding, Fixed, TokenBucket} }

// ParseWindowModel accepts "sliding", "fixed", "token-bucket" or "any"
// (empty means sliding).
func ParseWindowModel(s string) (WindowModel, error) {
	switch WindowModel(s) {
	case Sliding, Fixed, TokenBucket, AnyModel:
		return WindowModel(s), nil
	case "":
		return Sliding, nil
	}
	return "", fmt.Errorf("unknown window model %q (known: sliding, fixed, token-bucket, any)", s)
}

// Counting is the model a target counts by when asked for m: m, or Sliding
// for AnyModel and empty.
func Counting(m WindowModel) WindowModel {
	if m == Fixed || m == TokenBucket {
		return m
	}
	return Sliding
}
