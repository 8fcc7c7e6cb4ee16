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
)

// ParseWindowModel accepts "sliding" or "fixed".
func ParseWindowModel(s string) (WindowModel, error) {
	switch WindowModel(s) {
	case Sliding, Fixed:
		return WindowModel(s), nil
	case "":
		return Sliding, nil
	}
	return "", fmt.Errorf("unknown window model %q (known: sliding, fixed)", s)
}
