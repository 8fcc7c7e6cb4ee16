package assert

import (
	"fmt"
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// onset judges where throttling began: at the first 429 of class c the window
// must hold the limit, within tolerance and one transaction's grain, and no
// window may ever certainly hold more than the limit within the tolerance
// alone (a target whose limit is high lets a window pass the limit before
// its first 429, or refills past it after; a right one never does, so even
// a CREATE row of 10 that admits 11 fails). A class never throttled fails
// when a window certainly held more than the limit, and is inconclusive when
// the run may never have filled one.
func (j *judge) onset(c int, tol float64) Verdict {
	st := j.throttleStats()[c]
	v := j.verdict(scenarios.CheckOnset, c, tol+j.grain(c), Within)
	v.Unit = j.windowUnit()
	v.Expected = j.limitFigure(c)
	name := j.classes[c]
	peak := st.peak
	if st.n429 == 0 {
		setBand(&v, peak)
		over, short := peak.lo > v.Expected*(1+tol)+slack, peak.hi < v.Expected*(1-v.Tolerance)
		switch {
		case over:
			v.SetOutcome(Failed)
			v.Detail = fmt.Sprintf("No 429 was seen for %s: the target never throttled it, though a window certainly held %s against %s (%s).",
				name, j.held(peak.lo), j.limitPhrase(c), deviation(peak.lo, v.Expected))
		case j.weighted && !short && j.othersThrottled(c):
			// A weighted window refuses the dearer classes first: the cheap
			// one fits in what they leave, and rightly meets no 429.
			v.SetOutcome(Passed)
			v.Detail = fmt.Sprintf("No 429 was seen for %s, and none was due: the weighted window filled (at its fullest it held %s) and refused the dearer classes first, while %s, cheaper, fitted in what they left.",
				name, j.heldBand(peak), name)
		default:
			v.SetOutcome(Inconclusive)
			why := "the run may never have filled a window (at its fullest it held " + j.heldBand(peak) + "), so the onset could not be observed: offer more, or for longer"
			if !short {
				why = "a window may have held the limit (" + j.heldBand(peak) + ") but no 429 came, and the timings cannot tell a full window from one just short of it: offer more, for longer"
			}
			v.Detail = fmt.Sprintf("No 429 was seen for %s: %s.", name, why)
		}
		v.Detail += j.notes(c)
		return v
	}
	b := st.onset
	setBand(&v, b)
	v.At = ptr(time.Duration(st.first))
	v.SetOutcome(settle(v))
	v.Detail = fmt.Sprintf("At the first 429 of %s, at %s, %s held %s against %s (%s).",
		name, secs(*v.At), j.windowPhrase(st.first), j.heldBand(b), j.limitPhrase(c), deviation(b.mid(), v.Expected))
	if peak.lo > v.Expected*(1+tol)+slack { // no grain: a right window never holds more
		v.SetOutcome(Failed)
		v.Detail += fmt.Sprintf(" But a window certainly held %s at some time, more than the limit allows (%s).", j.held(peak.lo), deviation(peak.lo, v.Expected))
	}
	if j.weighted {
		v.Detail += fmt.Sprintf(" Weighted enforcement: by send time the window held %s, each costing 1/limit of its class.", j.composition(j.sentIn(st.first)))
	}
	v.Detail += j.bandNote(b, v) + j.notes(c)
	return v
}

// noEarlyThrottle judges every 429 of class c: the window must have held at
// least the limit (less the tolerance) each time. It fails when some 429
// certainly met an emptier window. It passes when most 429s (all but
// earlyShare) certainly met a full one: a target whose limit is low by more
// than the tolerance throttles early at every 429 once its low limit is
// reached, and those 429s whose answers came quickly would show it; timings
// too loose to show it for most 429s are inconclusive. The detail says how
// many 429s may have met an emptier window.
func (j *judge) noEarlyThrottle(c int, tol float64) Verdict {
	st := j.throttleStats()[c]
	v := j.verdict(scenarios.CheckNoEarlyThrottle, c, tol+j.refusalGrain(c), AtLeast)
	name := j.classes[c]
	if st.n429 == 0 {
		// The lowest figure over no 429s has no value, and a made-up one would
		// read as a measurement. Count early 429s instead: there were none.
		v.Unit = "429 responses"
		v.Comparison = AtMost
		v.SetOutcome(Passed)
		v.Detail = fmt.Sprintf("No 429 was seen for %s, so none came early (the figure counts 429s). At its fullest %s held %s against %s.",
			name, j.windowPhrase(0), j.heldBand(st.peak), j.limitPhrase(c))
		v.Detail += j.notes(c)
		return v
	}
	v.Unit = j.windowUnit()
	v.Expected = j.limitFigure(c)
	low, i := st.lowest()
	b := low
	setBand(&v, b)
	thr := v.Expected * (1 - v.Tolerance)
	early := possiblyEarly(st.lows, thr)
	switch {
	case b.hi < v.Expected*(1-v.Tolerance)-slack:
		v.SetOutcome(Failed)
	case float64(early) <= earlyShare*float64(st.n429):
		v.SetOutcome(Passed)
	default:
		v.SetOutcome(Inconclusive)
	}
	verb := "No 429 came early"
	switch {
	case v.Failed():
		verb = "A 429 came early"
	case v.Inconclusive():
		verb = "No 429 certainly came early, but the timings cannot show that most did not"
	}
	at := j.throttledAt(c, i)
	v.At = ptr(time.Duration(at))
	v.Detail = fmt.Sprintf("%s: of %d 429s of %s, the one with the emptiest window came at %s, when %s held %s against %s (%s); %d certainly met a full window and %d, answered too slowly to tell, may have met one below %s.",
		verb, st.n429, name, secs(*v.At), j.windowPhrase(at), j.heldBand(st.lows[i]), j.limitPhrase(c), deviation(b.hi, v.Expected), st.n429-early, early, j.held(thr))
	v.Detail += j.bandNote(b, v) + j.notes(c)
	return v
}

// earlyShare is the share of a class's 429s that may have met a window below
// the limit, less the tolerance, and still let no-early-throttle pass: each is
// one whose answer took long enough, or which crossed a bucket's edge, to be
// placed either side. A target off by more than the tolerance would show it
// at every 429, the quickly answered half included.
const earlyShare = 0.5

// throttledAt is the send time (from the start) of class c's i-th 429.
func (j *judge) throttledAt(c, i int) int64 {
	for _, r := range j.recs {
		if int(r.class) == c && r.throttled() {
			if i == 0 {
				return r.at - j.start
			}
			i--
		}
	}
	return 0
}

// noThrottle judges a load below the limit: no 429 at all. A 429 fails only
// when the window certainly held less than the limit; one that the timings
// allow to have met a full window (the load arrived bunched) is inconclusive.
func (j *judge) noThrottle(c int, tol float64) Verdict {
	st := j.throttleStats()[c]
	t := j.tallies[c]
	v := j.verdict(scenarios.CheckNoThrottle, c, tol, AtMost)
	v.Unit = "429 responses"
	v.Measured = float64(st.n429)
	v.SetOutcome(settle(v))
	if st.n429 == 0 {
		v.Detail = fmt.Sprintf("None of %d requests of %s was throttled; at its fullest %s held %s against %s.",
			t.requests, j.classes[c], j.windowPhrase(0), j.heldBand(st.peak), j.limitPhrase(c))
		v.Detail += j.notes(c)
		return v
	}
	v.At = ptr(time.Duration(st.first))
	full := j.limitFigure(c) * (1 - j.refusalGrain(c) - DefaultOnsetTolerance)
	certainlyEarly := 0
	for _, l := range st.lows {
		if l.hi < full-slack {
			certainlyEarly++
		}
	}
	if certainlyEarly > 0 {
		v.Detail = fmt.Sprintf("%d of %d requests of %s were throttled, %d of them certainly at a window below the limit; the first at %s, when the window held %s against %s.",
			st.n429, t.requests, j.classes[c], certainlyEarly, secs(*v.At), j.heldBand(st.onset), j.limitPhrase(c))
	} else {
		v.SetOutcome(Inconclusive)
		v.Detail = fmt.Sprintf("%d of %d requests of %s were throttled, though the load was meant to stay below the limit; but each may have met a full window (the first, at %s, when the window held %s against %s): the requests may have reached the target bunched. Offer less, or from a less busy machine.",
			st.n429, t.requests, j.classes[c], secs(*v.At), j.heldBand(st.onset), j.limitPhrase(c))
	}
	v.Detail += j.notes(c)
	return v
}

// verdict starts a Verdict with the fields every check fills the same way.
func (j *judge) verdict(check scenarios.CheckName, c int, tol float64, cmp string) Verdict {
	return Verdict{
		Check:      check,
		Class:      j.classes[c],
		Tolerance:  tol,
		Comparison: cmp,
		Window:     j.model,
	}
}

// grain is the tolerance one transaction adds to the onset of class c:
// 1/limit of the class. A weighted window refuses a request of class c once
// less than its own cost is left, so a dear class (a key CREATE, 1/10 of a
// window under 2018) meets a window that is, say, 0.93 full and may not
// enter; a token bucket holds fractions of a transaction and refuses one as
// soon as less than a whole one is left; and a window's count is whole, so
// the onset's band nearly always holds the one success still in flight when
// the 429 was sent.
func (j *judge) grain(c int) float64 {
	if j.limits[c] <= 0 {
		return 0
	}
	return 1 / float64(j.limits[c])
}

// othersThrottled reports whether a class other than c met a 429 that cost
// more than one of c: what a weighted window refuses first.
func (j *judge) othersThrottled(c int) bool {
	for _, r := range j.recs {
		if int(r.class) != c && r.throttled() && j.limits[r.class] < j.limits[c] {
			return true
		}
	}
	return false
}

// refusalGrain is how far short of full a window may rightly be when it
// refuses a request of class c: one transaction of the class where the
// model holds fractions (a weighted mix, a token bucket), nothing for a
// class's own whole count in a sliding or fixed window, so that a CREATE row
// of 10 that refuses at 9 fails no-early-throttle.
func (j *judge) refusalGrain(c int) float64 {
	if j.weighted || j.model == limits.TokenBucket {
		return j.grain(c)
	}
	return 0
}
