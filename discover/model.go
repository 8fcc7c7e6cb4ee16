package discover

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Model is one candidate explanation of a target: a window model with a limit
// per window, a window length and, for fixed buckets, where a bucket begins.
type Model struct {
	Kind   limits.WindowModel `json:"model"`
	Limit  int                `json:"limit"`
	Window time.Duration      `json:"window"`
	// Phase is where a fixed bucket begins, as an offset from the schedule's
	// start modulo Window (fixed only).
	Phase time.Duration `json:"phase,omitempty"`
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
