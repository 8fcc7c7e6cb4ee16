package assert

import (
	"fmt"

	"github.com/kvquota/kvquota/scenarios"
)

// onset judges where throttling began: at the first 429 of class c the window
// must hold the limit, within tolerance. A class never throttled fails with
// the highest figure its window reached, so a target that never throttles
// fails with a figure above the limit.
func (j *judge) onset(c int, tol float64) Verdict {
	st := j.throttleStats()[c]
	v := j.verdict(scenarios.CheckOnset, c, tol+j.grain(c), Within)
	v.Unit = j.windowUnit()
	v.Expected = j.limitFigure(c)
	name := j.classes[c]
	if st.n429 == 0 {
		v.Measured = st.peak
		v.Pass = false
		// Whose fault it is depends on whether the window ever filled: a target
		// that let a full window through did not throttle; a run that never
		// filled it (too little load, or cut short) could not show the onset.
		verdict := "the target never throttled it"
		if st.peak < v.Expected*(1-v.Tolerance) {
			verdict = "the run never offered enough to fill the window, so the onset could not be observed"
		}
		v.Detail = fmt.Sprintf("No 429 was seen for %s: %s. At its fullest (%s) %s held %s against %s (%s).",
			name, verdict, secs(j.offset(st.peakAt)), j.windowPhrase(st.peakAt), j.held(st.peak), j.limitPhrase(c), deviation(st.peak, v.Expected))
		v.Detail += j.notes(c)
		return v
	}
	v.Measured = st.firstFig
	v.At = ptr(j.offset(st.first))
	v.Pass = holds(v)
	v.Detail = fmt.Sprintf("At the first 429 of %s, at %s, %s held %s against %s (%s).",
		name, secs(*v.At), j.windowPhrase(st.first), j.held(v.Measured), j.limitPhrase(c), deviation(v.Measured, v.Expected))
	if j.weighted {
		v.Detail += fmt.Sprintf(" Weighted enforcement: the window held %s, each costing 1/limit of its class.", j.composition(st.firstCounts))
	}
	v.Detail += j.notes(c)
	return v
}

// noEarlyThrottle judges every 429 of class c: the window must have held at
// least the limit (less the tolerance) each time. The figure is the lowest.
func (j *judge) noEarlyThrottle(c int, tol float64) Verdict {
	st := j.throttleStats()[c]
	v := j.verdict(scenarios.CheckNoEarlyThrottle, c, tol+j.grain(c), AtLeast)
	name := j.classes[c]
	if st.n429 == 0 {
		// The lowest figure over no 429s has no value, and a made-up one would
		// read as a measurement. Count early 429s instead: there were none.
		v.Unit = "429 responses"
		v.Comparison = AtMost
		v.Pass = true
		v.Detail = fmt.Sprintf("No 429 was seen for %s, so none came early (the figure counts 429s). At its fullest (%s) %s held %s against %s.",
			name, secs(j.offset(st.peakAt)), j.windowPhrase(st.peakAt), j.held(st.peak), j.limitPhrase(c))
		v.Detail += j.notes(c)
		return v
	}
	v.Unit = j.windowUnit()
	v.Expected = j.limitFigure(c)
	v.Measured = st.low
	v.At = ptr(j.offset(st.lowAt))
	v.Pass = holds(v)
	verb := "No 429 came early"
	if !v.Pass {
		verb = "A 429 came early"
	}
	v.Detail = fmt.Sprintf("%s: of %d 429s of %s, the one with the emptiest window came at %s, when %s held %s against %s (%s).",
		verb, st.n429, name, secs(*v.At), j.windowPhrase(st.lowAt), j.held(st.low), j.limitPhrase(c), deviation(st.low, v.Expected))
	v.Detail += j.notes(c)
	return v
}

// noThrottle judges a load below the limit: no 429 at all.
func (j *judge) noThrottle(c int, tol float64) Verdict {
	st := j.throttleStats()[c]
	t := j.tallies[c]
	v := j.verdict(scenarios.CheckNoThrottle, c, tol, AtMost)
	v.Unit = "429 responses"
	v.Measured = float64(st.n429)
	v.Pass = holds(v)
	if st.n429 == 0 {
		v.Detail = fmt.Sprintf("None of %d requests of %s was throttled; at its fullest (%s) %s held %s against %s.",
			t.requests, j.classes[c], secs(j.offset(st.peakAt)), j.windowPhrase(st.peakAt), j.held(st.peak), j.limitPhrase(c))
	} else {
		v.At = ptr(j.offset(st.first))
		v.Detail = fmt.Sprintf("%d of %d requests of %s were throttled; the first at %s, when %s held %s against %s.",
			st.n429, t.requests, j.classes[c], secs(*v.At), j.windowPhrase(st.first), j.held(st.firstFig), j.limitPhrase(c))
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

// grain is how far short of full a weighted window may be when a request of
// class c is rightly refused: the request's own cost, 1/limit of its class,
// for it is refused once less than that is left. A cheap class fills the
// window to within its cost, so a dear one (a key CREATE, 1/10 of a window
// under 2018) meets a window that is, say, 0.93 full and may not enter. Zero
// when each class is judged on its own count.
func (j *judge) grain(c int) float64 {
	if !j.weighted || j.limits[c] <= 0 {
		return 0
	}
	return 1 / float64(j.limits[c])
}
