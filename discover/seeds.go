package discover

import (
	"slices"
	"time"
)

// seeds are the figures read straight off a schedule's outcomes that narrow
// the fit's search: each model's limit and window length lie near them.
type seeds struct {
	// Burst is the successes of the first burst, and BurstFirst and
	// BurstEnd the times of its first success and its first 429.
	Burst                int
	BurstFirst, BurstEnd time.Duration
	// Recovery is when the first success after the burst came, and
	// BeforeRecovery the 429 just before it: a fixed bucket began between.
	Recovery, BeforeRecovery time.Duration
	// Clump is the longest run of successes after the burst: fixed buckets
	// and sliding windows admit a whole window's worth in one run under
	// overload.
	Clump int
	// ClumpGap is the median time between the starts of runs of successes
	// that follow at least three 429s.
	ClumpGap time.Duration
	// Goodput is the overload phase's successes per second.
	Goodput float64
	// Transitions are the middles of the first changes from a 429 back to
	// a success (transitions in fit.go).
	Transitions []time.Duration
}

func readSeeds(obs []Obs) seeds {
	var s seeds
	firstOK, first429 := -1, -1
	for i, o := range obs {
		if o.Phase != PhaseBurst {
			continue
		}
		if o.OK {
			s.Burst++
			if firstOK < 0 {
				firstOK = i
			}
		} else if first429 < 0 {
			first429 = i
		}
	}
	if firstOK >= 0 {
		s.BurstFirst = obs[firstOK].At
	}
	if first429 >= 0 {
		s.BurstEnd = obs[first429].At
	}
	var starts []time.Duration
	run, refused, seen429 := 0, 0, false
	var oFirst, oLast time.Duration
	oOK := 0
	var prev Phase
	for _, o := range obs {
		if o.Phase != prev { // a run of successes never spans two phases
			prev, run = o.Phase, 0
		}
		if o.Phase == PhaseQuiet || o.Phase == PhaseBurst {
			if !o.OK {
				seen429 = true
			}
			continue
		}
		if o.Phase == PhaseOverload {
			if oOK == 0 && o.OK {
				oFirst = o.At
			}
			if o.OK {
				oOK++
				oLast = o.At
			}
		}
		if o.OK {
			if seen429 && s.Recovery == 0 {
				s.Recovery = o.At
			}
			if refused >= 3 {
				starts = append(starts, o.At)
			}
			run++
			refused = 0
			s.Clump = max(s.Clump, run)
			continue
		}
		if seen429 && s.Recovery == 0 {
			s.BeforeRecovery = o.At
		}
		seen429 = true
		run = 0
		refused++
	}
	if len(starts) >= 2 {
		gaps := make([]time.Duration, 0, len(starts)-1)
		for i := 1; i < len(starts); i++ {
			gaps = append(gaps, starts[i]-starts[i-1])
		}
		slices.Sort(gaps)
		s.ClumpGap = gaps[len(gaps)/2]
	}
	if oOK > 1 && oLast > oFirst {
		s.Goodput = float64(oOK-1) / (oLast - oFirst).Seconds()
	}
	return s
}
