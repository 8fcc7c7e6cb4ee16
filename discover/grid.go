package discover

import (
	"slices"
	"time"
)

// windowGrid lists candidate window lengths, ascending and distinct to the
// millisecond: 0.8x to 1.25x of every seed in 4% steps (the fit refines
// around each model's best, within 2% and finer).
func windowGrid(s seeds) []time.Duration {
	var seedWs []time.Duration
	add := func(d time.Duration) {
		if d > time.Millisecond {
			seedWs = append(seedWs, d)
		}
	}
	add(s.Recovery - s.BurstFirst) // a sliding window frees its first slot one window after it was used
	add(s.ClumpGap)                // fixed and sliding admit a window's worth once a window
	if s.Goodput > 0 {
		add(time.Duration(float64(s.Clump) / s.Goodput * float64(time.Second)))
		add(time.Duration(float64(s.Burst) / s.Goodput * float64(time.Second)))
	}
	// Half and twice each seed too: on a busy client a run of 429s can go
	// unsent, two windows' runs of successes then merge, and every seed reads
	// a window twice too long (or a stray clump, half as long).
	seen := map[time.Duration]bool{}
	var out []time.Duration
	for _, seed := range seedWs {
		for _, w := range []time.Duration{seed / 2, seed, 2 * seed} {
			for k := 80; k <= 128; k += 4 {
				d := (w * time.Duration(k) / 100).Round(time.Millisecond)
				if d > 0 && !seen[d] {
					seen[d] = true
					out = append(out, d)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// phaseGrid lists candidate starts of a fixed bucket of length w: four points
// between the last 429 and the first success of the recovery, and the middle
// of every other change from 429s back to successes (a bucket may have begun
// at any of them).
func phaseGrid(s seeds, w time.Duration) []time.Duration {
	lo, hi := s.BeforeRecovery, s.Recovery
	if hi <= lo {
		lo = hi - time.Millisecond
	}
	out := make([]time.Duration, 0, 4+len(s.Transitions))
	for k := 1; k <= 4; k++ {
		p := lo + (hi-lo)*time.Duration(k)/4
		out = append(out, ((p%w)+w)%w)
	}
	for _, p := range s.Transitions {
		out = append(out, ((p%w)+w)%w)
	}
	return out
}

// maxTransitions bounds the phases read off changes back to success.
const maxTransitions = 4

// transitions returns the middles of the first changes from a 429 back to a
// success (obs ordered by At): where fixed buckets may begin.
func transitions(obs []Obs) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(obs) && len(out) < maxTransitions; i++ {
		if obs[i].OK && !obs[i-1].OK {
			out = append(out, (obs[i-1].At+obs[i].At)/2)
		}
	}
	return out
}

// tokenRates lists candidate refill rates, per second, of token buckets:
// under overload a token bucket admits exactly its rate, which the goodput
// measures, unless the client could not keep the overload up all along (a
// busy machine), when it reads low. 0.8x to 1.5x of the goodput in 0.5%
// steps; the limit of each is searched whole (interval.go), and the window
// is limit over rate.
func tokenRates(s seeds) []float64 {
	if s.Goodput <= 0 {
		return nil
	}
	var out []float64
	for k := 0; k <= 140; k++ {
		out = append(out, s.Goodput*(0.8+float64(k)/200))
	}
	return out
}

// broadGrid lists window lengths from lo (at least 10 ms) to hi in 3% steps:
// the fallback when no candidate near the seeds explains the outcomes.
func broadGrid(lo, hi time.Duration) []time.Duration {
	var out []time.Duration
	for w := max(lo, 10*time.Millisecond); w <= hi; w += max(w*3/100, time.Millisecond) {
		out = append(out, w.Round(time.Millisecond))
	}
	return out
}

// broadRates lists token-bucket rates from a third to three times the
// goodput in 1% steps: the fallback when no rate near it explains the
// outcomes.
func broadRates(s seeds) []float64 {
	var out []float64
	for r := s.Goodput / 3; r <= 3*s.Goodput && r > 0; r *= 1.01 {
		out = append(out, r)
	}
	return out
}
