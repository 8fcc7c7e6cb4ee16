package discover

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Predict is the tests' oracle and the definition the fit's interval checks
// (interval.go) are held to: it replays the decision times ats (ascending)
// through m from a quiet start and returns which it would admit. A refused request uses nothing, as
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
