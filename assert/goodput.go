package assert

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// goodput judges sustained overload: refused requests use no quota, so once a
// target throttles, its successes settle at the limit rate. It measures whole
// windows from the first 429 of the stage (sliding: from that instant; fixed:
// from the start of that 429's bucket, which the target counts whole) up to
// the end of the stage. The stage is the expectation's, or else every stage
// that offered the class above its limit rate; with several, the verdict is
// the stage furthest from the limit.
func (j *judge) goodput(in *Input, e scenarios.Expectation, c int, tol float64) Verdict {
	v := j.verdict(scenarios.CheckGoodput, c, tol, Within)
	if j.weighted {
		v.Unit = "window budget per window (1.0 = full)"
		v.Expected = 1
	} else {
		v.Unit = "successes/s"
		v.Expected = float64(j.limits[c]) / j.profile.Window.Seconds()
	}
	name := j.classes[c]
	var spans []scenarios.Span
	if e.Stage > 0 {
		spans = append(spans, *in.span(e.Stage))
	} else {
		for _, s := range in.Stages {
			if j.overLimit(s, c) {
				spans = append(spans, s)
			}
		}
	}
	if len(spans) == 0 {
		v.SetOutcome(Inconclusive)
		if len(in.Stages) == 0 {
			v.Detail = "The run has no stages recorded, so no overloaded stage to measure goodput in."
		} else {
			v.Detail = fmt.Sprintf("No stage offered %s above its limit rate (%.2f/s), so goodput under overload cannot be judged; add an overloaded stage or name one with stage: N.",
				name, float64(j.limits[c])/j.profile.Window.Seconds())
		}
		return v
	}
	var worst *stageFigure
	for _, s := range spans {
		f := j.measureStage(s, c)
		if worst == nil || f.worseThan(worst, v.Expected) {
			worst = &f
		}
	}
	f := worst
	v.At = ptr(j.offset(f.anchor))
	if !f.ok {
		v.SetOutcome(Inconclusive)
		if f.first429 {
			v.Detail = fmt.Sprintf("Stage %d (%s) leaves only %s after the first 429 of %s (at %s), less than one whole %v window: the scenario is too short to judge goodput.",
				f.span.Stage, offered(f.span), secs(time.Duration(f.end-f.anchor)), name, secs(j.offset(f.t429)), j.profile.Window)
		} else {
			v.Detail = fmt.Sprintf("Stage %d (%s) lasts %s, less than one whole %v window: the scenario is too short to judge goodput.",
				f.span.Stage, offered(f.span), secs(time.Duration(f.end-f.anchor)), j.profile.Window)
		}
		return v
	}
	setBand(&v, f.band)
	v.SetOutcome(settle(v))
	var from string
	switch {
	case !f.first429:
		from = fmt.Sprintf("no 429 of %s in the stage, so over the whole stage", name)
	case j.model == limits.Fixed:
		from = fmt.Sprintf("from the start of the fixed bucket holding the first 429 of %s (at %s)", name, secs(j.offset(f.t429)))
	default:
		from = fmt.Sprintf("from the first 429 of %s", name)
	}
	span := fmt.Sprintf("%d whole %s window(s) (%s to %s)", f.windows, j.model, secs(j.offset(f.anchor)), secs(j.offset(f.end)))
	if j.weighted {
		v.Detail = fmt.Sprintf("Stage %d (%s): %s, %s held %s (by send time): %s of the window's budget per window (weighted enforcement; 1.0 is full; %s).",
			f.span.Stage, offered(f.span), from, span, j.composition(f.counts), rangeOf(f.band, "%.3f"), deviation(f.measured, 1))
	} else {
		v.Detail = fmt.Sprintf("Stage %d (%s): %s, %s held %d successes by send time: %s/s against a limit rate of %.2f/s (%s).",
			f.span.Stage, offered(f.span), from, span, f.counts[c], rangeOf(f.band, "%.2f"), v.Expected, deviation(f.measured, v.Expected))
	}
	if len(spans) > 1 {
		v.Detail += fmt.Sprintf(" It is the furthest from the limit of the %d stages offered above it.", len(spans))
	}
	v.Detail += j.goodputNote(f, v)
	v.Detail += j.notes(c)
	return v
}

// goodputNote is bandNote for goodput: the band per second (or per window,
// weighted) and, when the band took in slots the windows' edges may have had
// free, that cause too.
func (j *judge) goodputNote(f *stageFigure, v Verdict) string {
	var also string
	if f.owed > 0 {
		also = fmt.Sprintf("the high end takes in up to %s the windows may have left free at their edges while the target was not refusing (a client that fell behind and caught up in a burst leaves a continuously counted window's slots freeing faster than it offers them requests)", j.held(f.owed))
	}
	if j.weighted {
		return j.inconclusiveNote(v, rangeOf(f.band, "%.3f")+" of the budget per window", "1.000", also)
	}
	return j.inconclusiveNote(v, rangeOf(f.band, "%.2f")+"/s", fmt.Sprintf("%.2f/s", v.Expected), also)
}

// stageFigure is goodput measured in one stage.
type stageFigure struct {
	span scenarios.Span
	// ok is false when not even one whole window fits.
	ok bool
	// first429 says the measure starts from a 429 (at t429), not the stage start.
	first429 bool
	t429     int64
	// [anchor, end) is the measured interval, whole windows, Unix nanoseconds.
	anchor, end int64
	windows     int64
	counts      []int
	band        band
	measured    float64
	// owed is what the band's high end took in for slots the windows' edges
	// may have had free (owed.go), in the series' costs.
	owed float64
}

// worseThan orders figures for the verdict: a stage too short to judge first,
// then the one furthest from expected.
func (f *stageFigure) worseThan(g *stageFigure, expected float64) bool {
	if f.ok != g.ok {
		return !f.ok
	}
	return math.Abs(f.measured-expected) > math.Abs(g.measured-expected)
}

// measureStage measures class c's goodput in span s: the band of the cost
// decided in whole windows from the stage's first 429 (from the start of its
// bucket, fixed) to the end of the stage, per window.
func (j *judge) measureStage(s scenarios.Span, c int) stageFigure {
	from, to := j.start+int64(s.From), j.start+int64(s.To)
	f := stageFigure{span: s, anchor: from, end: to}
	for i := j.search(from); i < len(j.recs) && j.recs[i].at < to; i++ {
		if r := j.recs[i]; int(r.class) == c && r.throttled() {
			f.first429, f.t429, f.anchor = true, r.at, r.at
			if j.model == limits.Fixed {
				f.anchor = j.start + j.m.bucketStart(r.at-j.start)
			}
			break
		}
	}
	f.windows = (to - f.anchor) / j.window
	if f.windows < 1 {
		return f
	}
	f.ok = true
	f.end = f.anchor + f.windows*j.window
	f.counts = make([]int, len(j.classes))
	for i := j.search(f.anchor); i < len(j.recs) && j.recs[i].at < f.end; i++ {
		if r := j.recs[i]; r.success() {
			f.counts[r.class]++
		}
	}
	sc := j.successes(c)
	b := sc.between(f.anchor-j.start, f.end-j.start)
	// What the windows' edges may have had free where the target was not
	// refusing (owed.go) may have gone to later requests.
	f.owed = j.owed(f, c)
	b.hi += f.owed
	if j.weighted {
		f.band = b.scale(1 / float64(f.windows))
	} else {
		f.band = b.scale(1 / (float64(f.windows) * j.profile.Window.Seconds()))
	}
	f.measured = f.band.mid()
	return f
}

// overLimit reports whether span s offered class c above its limit rate all
// through. The mix is what was actually sent in the span; weighted, the limit
// rate is the whole mix's: the rate at which it fills one window exactly.
func (j *judge) overLimit(s scenarios.Span, c int) bool {
	from, to := j.start+int64(s.From), j.start+int64(s.To)
	sent := make([]int, len(j.classes))
	total := 0
	for i := j.search(from); i < len(j.recs) && j.recs[i].at < to; i++ {
		sent[j.recs[i].class]++
		total++
	}
	if total == 0 || sent[c] == 0 {
		return false
	}
	low := min(s.StartRate, s.EndRate)
	w := j.profile.Window.Seconds()
	if !j.weighted {
		share := float64(sent[c]) / float64(total)
		return share*low > float64(j.limits[c])/w
	}
	perRequest := 0.0 // the average cost of one request of the mix
	for i, n := range sent {
		perRequest += float64(n) / float64(total) / float64(j.limits[i])
	}
	return low > 1/(w*perRequest)
}

// search returns the index of the first record sent at or after t.
func (j *judge) search(t int64) int {
	return sort.Search(len(j.recs), func(i int) bool { return j.recs[i].at >= t })
}

// offered describes a span's offered rate, e.g. "offered 800 req/s" or
// "offered 400→800 req/s".
func offered(s scenarios.Span) string {
	var b strings.Builder
	b.WriteString("offered ")
	if s.StartRate == s.EndRate {
		fmt.Fprintf(&b, "%.0f req/s", s.StartRate)
	} else {
		fmt.Fprintf(&b, "%.0f→%.0f req/s", s.StartRate, s.EndRate)
	}
	return b.String()
}

// rangeOf prints a band with format: "99.80" or "99.20 to 100.40".
func rangeOf(b band, format string) string {
	lo, hi := fmt.Sprintf(format, b.lo), fmt.Sprintf(format, b.hi)
	if lo == hi {
		return lo
	}
	return lo + " to " + hi
}
