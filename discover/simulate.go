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

// Predict replays the request times ats (ascending) through m from a quiet
// start and returns which it would admit. A refused request uses nothing, as
// Key Vault's 429s do.
func (m Model) Predict(ats []time.Duration) []bool {
	out := make([]bool, len(ats))
	if m.Limit <= 0 || m.Window <= 0 {
		return out
	}
	switch m.Kind {
	case limits.Fixed:
		bucket, n := int64(-1<<62), 0
		for i, t := range ats {
			b := floorDiv(int64(t-m.Phase), int64(m.Window))
			if b != bucket {
				bucket, n = b, 0
			}
			if n < m.Limit {
				n++
				out[i] = true
			}
		}
	case limits.TokenBucket:
		// A full bucket holds Limit transactions and refills at Limit per
		// Window, continuously.
		tokens, last := float64(m.Limit), time.Duration(0)
		rate := float64(m.Limit) / float64(m.Window)
		for i, t := range ats {
			if i > 0 {
				tokens = min(float64(m.Limit), tokens+float64(t-last)*rate)
			}
			last = t
			if tokens >= 1-1e-9 {
				tokens--
				out[i] = true
			}
		}
	default: // sliding: admitted while fewer than Limit were admitted in (t-W, t]
		adm := make([]time.Duration, 0, len(ats))
		head := 0
		for i, t := range ats {
			for head < len(adm) && adm[head] <= t-m.Window {
				head++
			}
			if len(adm)-head < m.Limit {
				adm = append(adm, t)
				out[i] = true
			}
		}
	}
	return out
}

// swapReach is how many positions apart two opposite mispredictions may be
// and still count as one pair of requests the target saw in the other order.
const swapReach = 3

// agreement is the share of outcomes that m predicts, forgiving timing
// swaps: when m admits request i and refuses a neighbour j (within swapReach)
// while the target did the opposite, the two count as predicted. A few
// hundred microseconds of jitter decide which of two close requests takes
// the last room, and that says nothing about the model; a wrong limit, length
// or model shows as mispredictions that no neighbour cancels.
func (m Model) agreement(ats []time.Duration, oks []bool) float64 {
	if len(ats) == 0 {
		return 0
	}
	p := m.Predict(ats)
	miss := 0
	pending, pendingAt := false, 0 // an unpaired misprediction and its sign
	var pendingSign bool
	for i := range p {
		if p[i] == oks[i] {
			continue
		}
		if pending && pendingSign != p[i] && i-pendingAt <= swapReach {
			pending = false // the pair is a swap: neither counts
			miss--
			continue
		}
		miss++
		pending, pendingAt, pendingSign = true, i, p[i]
	}
	return float64(len(ats)-miss) / float64(len(ats))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
