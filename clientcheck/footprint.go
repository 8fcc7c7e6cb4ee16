package clientcheck

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
)

// ClassFootprint is what one client (or all of them) asked of one
// transaction class. Every request counted against the class is included,
// 429s too: they are the demand the application would need served.
type ClassFootprint struct {
	Class    limits.Class `json:"class"`
	Requests int          `json:"requests"`
	// MaxPerWindow is the most requests in any window-long span (a sliding
	// window: the worst case of every window model).
	MaxPerWindow int `json:"max_per_window"`
	// MeanPerWindow is Requests over the windows the recording spanned.
	MeanPerWindow float64 `json:"mean_per_window"`
	// Limit is the documented (judged) limit per window.
	Limit int `json:"limit"`
}

// footprint is the per-class and weighted figures of a set of requests.
type footprint struct {
	classes     []ClassFootprint
	maxWeighted float64
}

// measureFootprint measures reqs (in arrival order) against p's limits and
// window; windows is how many windows the whole recording spanned.
func measureFootprint(reqs []*emulator.RequestInfo, p *limits.Profile, windows float64) footprint {
	per := map[limits.Class][]time.Time{}
	var counted []*emulator.RequestInfo
	for _, r := range reqs {
		if r.Class == "" {
			continue
		}
		per[r.Class] = append(per[r.Class], r.Start)
		counted = append(counted, r)
	}
	var f footprint
	for _, c := range slices.Sorted(maps.Keys(per)) {
		ts := per[c]
		f.classes = append(f.classes, ClassFootprint{
			Class: c, Requests: len(ts), MaxPerWindow: maxInWindow(ts, p.Window),
			MeanPerWindow: float64(len(ts)) / windows, Limit: p.Limit(c),
		})
	}
	f.maxWeighted = maxWeighted(counted, p)
	return f
}

// maxInWindow is the most of ts (ascending) within any span shorter than w.
func maxInWindow(ts []time.Time, w time.Duration) int {
	best, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// maxWeighted is the largest weighted sum (each request 1/limit of its
// class) of any window-long span of reqs (ascending).
func maxWeighted(reqs []*emulator.RequestInfo, p *limits.Profile) float64 {
	var u limits.Usage
	best, lo := 0.0, 0
	for hi, r := range reqs {
		u.Add(r.Class, 1)
		for r.Start.Sub(reqs[lo].Start) >= p.Window {
			u.Add(reqs[lo].Class, -1)
			lo++
		}
		if hi >= lo {
			best = max(best, u.Cost(p, 1))
		}
	}
	return best
}

// footprintVerdicts judges all clients' footprint together, as the vault
// counts them, at the planned load. The figures are the busiest
// window-long span wherever it starts (a sliding window), the worst case of
// every window model, whichever the emulator enforced.
func footprintVerdicts(all footprint, clients int, j *Judging, span time.Duration) []assert.Verdict {
	var vs []assert.Verdict
	scale := fmt.Sprintf("from %d client(s) over %.1f s", clients, span.Seconds())
	if j.Instances != 1 {
		scale += fmt.Sprintf(", x%g for the planned load", j.Instances)
	}
	for _, c := range all.classes {
		m := float64(c.MaxPerWindow) * j.Instances
		v := assert.Verdict{
			Check: CheckFootprint, Class: c.Class, Measured: m, Expected: float64(c.Limit),
			Tolerance: j.Allowance, Comparison: assert.AtMost, Unit: "transactions per window", Window: limits.Sliding,
			Detail: fmt.Sprintf("most %d, mean %.1f transactions per %s window %s; %s of the documented %d",
				c.MaxPerWindow, c.MeanPerWindow, j.Profile.Window, scale, headroom(m/float64(c.Limit)), c.Limit),
		}
		settle(&v)
		vs = append(vs, v)
	}
	if len(all.classes) == 0 {
		return vs
	}
	m := all.maxWeighted * j.Instances
	v := assert.Verdict{
		Check: CheckWeightedFootprint, Measured: m, Expected: 1, Tolerance: j.Allowance,
		Comparison: assert.AtMost, Unit: "of a window's weighted budget", Window: limits.Sliding,
		Detail: fmt.Sprintf("largest weighted sum of any %s window %.3f %s; %s", j.Profile.Window, all.maxWeighted, scale, headroom(m)),
	}
	settle(&v)
	return append(vs, v)
}

// headroom says how much of the budget is left at a share used.
func headroom(share float64) string {
	if share > 1 {
		return fmt.Sprintf("over the limit by %.0f%%", (share-1)*100)
	}
	return fmt.Sprintf("headroom %.0f%%", (1-share)*100)
}
