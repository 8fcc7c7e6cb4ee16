package assert

import (
	"sort"

	"github.com/kvquota/kvquota/limits"
)

// A target that counts a window continuously (sliding, or a token bucket)
// gives its limit per window only while it is refusing: it re-admits a freed
// slot when the next request arrives, so a client that fell behind and then
// caught up in a burst fills the first window unevenly, the slots free in the
// same uneven pattern a window later, and when they free faster than the
// client offers, some stay free for a while. The successes in k whole windows
// from the first 429 are then k full windows minus the slots free at the
// windows' edges (sliding; the token bucket: minus the tokens left at the
// span's end), and a right target owes none of those it was not refusing at
// that edge. So the band of goodput takes in, at each edge, the most that can
// have been free there:
//
//   - a 429 decided at d after the edge b leaves the window full at d, so at b
//     at most what was admitted in (b, d] was free (sliding: less what slid
//     out of the window meanwhile);
//   - a 429 decided at d before b left it full at d, so at b at most what
//     slid out of the window since, less what was admitted since, was free
//     (sliding only: a token bucket's refill is not bounded so simply);
//
// each plus, in a weighted mix (where a refusal of any class speaks for the
// window), that 429's own cost: the room it may leave unused. Under steady
// overload 429s are dense and the bound is a few requests; it grows only
// where the target was, by the run's own evidence, not being refused.

// nearest is how many 429s on each side of an edge owed weighs: the nearest
// gives the least but for a weighted mix, where a later one's smaller cost
// may outweigh what was admitted in between.
const nearest = 16

// owed is the band's allowance for class c's goodput span f: the most, in
// the series' costs, that can have been free at the span's window edges
// (every edge under the sliding model, the last under a token bucket).
func (j *judge) owed(f stageFigure, c int) float64 {
	if j.model == limits.Fixed || !f.first429 {
		// Buckets are counted whole from the first 429's bucket; a span with
		// no 429 has no refusal to hold the target to.
		return 0
	}
	// The 429s that speak for the window: the class's own, or, weighted,
	// every class's (a refusal of any leaves room for less than its cost).
	var sent, ans []int64 // in send order, from the attack's start
	var cost []float64
	for i := range j.recs {
		r := j.recs[i]
		if !r.throttled() || (!j.weighted && int(r.class) != c) {
			continue
		}
		sent, ans = append(sent, r.at-j.start), append(ans, r.ans-j.start)
		if j.weighted {
			cost = append(cost, 1/float64(j.limits[r.class]))
		} else {
			cost = append(cost, 0) // a count's window is full exactly
		}
	}
	sc := j.successes(c)
	first := int64(1)
	if j.model == limits.TokenBucket {
		first = f.windows
	}
	var total float64
	for i := first; i <= f.windows; i++ {
		b := f.anchor - j.start + i*j.window
		free := sc.full
		// 429s certainly decided after b (sent at or after it), d in
		// [sent, answered]: free at b is at most what was admitted in (b, d]
		// less what slid out of the window meanwhile, (b-W, d-W].
		next := sort.Search(len(sent), func(k int) bool { return sent[k] >= b })
		for k := next; k < min(len(sent), next+nearest); k++ {
			bound := sc.between(b, ans[k]+1).hi + cost[k]
			if j.model == limits.Sliding {
				bound -= sc.between(b-j.window, sent[k]-j.window+1).lo
			}
			free = min(free, bound)
		}
		// 429s certainly decided by b (answered by it): free at b is at most
		// what slid out since, (d-W, b-W], less what was admitted in (d, b].
		if j.model == limits.Sliding {
			seen := 0
			for k := sort.Search(len(sent), func(k int) bool { return sent[k] > b }) - 1; k >= 0 && seen < nearest; k-- {
				if ans[k] > b {
					continue
				}
				seen++
				free = min(free, sc.between(sent[k]-j.window, b-j.window+1).hi-sc.between(ans[k], b+1).lo+cost[k])
			}
		}
		total += max(0, free)
	}
	return total
}
