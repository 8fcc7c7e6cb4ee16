package clientcheck

import (
	"fmt"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// backoffVerdicts judges every client's retries: the shortest delay against
// the first step, and the retry furthest below its own step. recalls (new
// calls after a 429 the SDK surfaced) are not retries and are only told.
// When the figure rests on pairings by arrival that may be wrong, it is a
// band from the figure of every pairing to that of the certain ones only,
// and a band across the tolerance is inconclusive.
func backoffVerdicts(retries, recalls []Retry, throttled int, j *Judging) []assert.Verdict {
	if len(retries) == 0 {
		return notExercised(recalls, throttled, j)
	}
	note := attributed(retries) + recallNote(recalls)
	shortest, shortestSure := pick(retries, func(a, b Retry) bool { return a.Delay < b.Delay })
	worst, worstSure := pick(retries, func(a, b Retry) bool { return a.ratio() < b.ratio() })
	first := Guidance[0]
	if shortest.RetryAfter {
		first = shortest.Required
	}
	imm := assert.Verdict{
		Check: CheckImmediateRetry, Measured: shortest.Delay.Seconds(), Expected: first.Seconds(),
		Tolerance: DelayTolerance, Comparison: assert.AtLeast, Unit: "s shortest retry delay", Window: j.Model,
		Detail: fmt.Sprintf("shortest of %d retries: %s (a delay of at least %.0f%% of the step passes: the Azure SDK's jittered 0.64-1.04 s first delay does); %s",
			len(retries), shortest.describe(false), (1-DelayTolerance)*100, note),
	}
	sureFigure(&imm, shortestSure, func(r Retry) float64 { return r.Delay.Seconds() })
	imm.Detail += ambiguity(imm, shortest)
	bo := assert.Verdict{
		Check: CheckBackoff, Measured: worst.Delay.Seconds(), Expected: worst.Required.Seconds(),
		Tolerance: DelayTolerance, Comparison: assert.AtLeast, Unit: "s delay of the retry furthest below its step", Window: j.Model,
		Detail: fmt.Sprintf("steps 1, 2, 4, 8, 16 s, or Retry-After when sent; furthest below its step of %d retries: %s; %s",
			len(retries), worst.describe(true), note),
	}
	sureFigure(&bo, worstSure, func(r Retry) float64 { return r.ratio() * bo.Expected })
	bo.Detail += ambiguity(bo, worst)
	return []assert.Verdict{imm, bo}
}

// notExercised is the back-off verdicts of a run with no retry: there is
// no evidence either way, so they are inconclusive and say what to do.
func notExercised(recalls []Retry, throttled int, j *Judging) []assert.Verdict {
	detail := "no retry after a 429 was seen, so back-off was not exercised" + recallNote(recalls)
	if throttled == 0 {
		detail = "the vault answered no 429, so back-off was not exercised: lower the emulator's limits (--limit) to see the application throttled"
	} else if len(recalls) > 0 {
		detail += "; with --retry-after the emulator sends Retry-After, which the Azure SDK for JS does retry"
	}
	var vs []assert.Verdict
	for _, c := range []scenarios.CheckName{CheckImmediateRetry, CheckBackoff} {
		v := assert.Verdict{Check: c, Measured: 0, Expected: 0, Comparison: assert.AtLeast,
			Unit: "retries after a 429", Window: j.Model, Detail: "Inconclusive: " + detail}
		v.SetOutcome(assert.Inconclusive)
		vs = append(vs, v)
	}
	return vs
}

// pick is the least retry by less, of all and of the certain pairings only
// (nil when every pairing is ambiguous).
func pick(rs []Retry, less func(a, b Retry) bool) (Retry, *Retry) {
	all := rs[0]
	var sure *Retry
	for i := range rs {
		if less(rs[i], all) {
			all = rs[i]
		}
		if !rs[i].Ambiguous && (sure == nil || less(rs[i], *sure)) {
			sure = &rs[i]
		}
	}
	return all, sure
}

// sureFigure settles v, whose figure is f of the least retry over every
// pairing, given sure, the least of the certain pairings (nil for none).
// With a certain retry above the figure, the figure is the band between
// them. With none, a figure that fails is only the shortest any pairing by
// arrival allows, not a measured delay: inconclusive. A figure that passes
// passes either way: every request paired is the first that could be a
// retry, so no true retry waited less.
func sureFigure(v *assert.Verdict, sure *Retry, f func(Retry) float64) {
	if sure != nil && f(*sure) > v.Measured {
		v.Band = &results.Band{Low: v.Measured, High: f(*sure)}
	}
	settle(v)
	if sure == nil && v.Failed() {
		v.SetOutcome(assert.Inconclusive)
	}
}

// attributed says how the retries were told from other calls.
func attributed(rs []Retry) string {
	id, arrival, ambiguous := 0, 0, 0
	for _, r := range rs {
		if r.By == ByRequestID {
			id++
		} else {
			arrival++
		}
		if r.Ambiguous {
			ambiguous++
		}
	}
	s := fmt.Sprintf("retries attributed %d %s, %d %s", id, ByRequestID, arrival, ByArrival)
	if ambiguous > 0 {
		s += fmt.Sprintf(" (%d of them from a client with calls of the operation in flight at once, so possibly not retries)", ambiguous)
	}
	return s
}

// recallNote tells the new calls after a surfaced 429, which are not
// retries.
func recallNote(rs []Retry) string {
	if len(rs) == 0 {
		return ""
	}
	shortest := rs[0]
	for _, r := range rs[1:] {
		if r.Delay < shortest.Delay {
			shortest = r
		}
	}
	return fmt.Sprintf("; not retries: %d new calls (a new client request id) of an operation after a 429 its SDK gave up on and surfaced (the Azure SDK for JS retries a 429 only when it carries Retry-After), made by the application's own loop; the shortest: %s",
		len(rs), shortest.describe(false))
}

// ambiguity explains an inconclusive back-off verdict.
func ambiguity(v assert.Verdict, r Retry) string {
	if !v.Inconclusive() {
		return ""
	}
	bound := fmt.Sprintf("%.3f s is only the shortest any pairing allows", v.Measured)
	if v.Band != nil {
		bound = fmt.Sprintf("the figure lies in %.3f-%.3f s", v.Band.Low, v.Band.High)
	}
	return fmt.Sprintf(". Inconclusive: %s sent no x-ms-client-request-id and had calls of %s %s in flight at once, so the request paired with a 429 by order of arrival may be another call rather than its retry: %s. Send a request id kept across a call's retries (azcore: runtime.NewRequestIDPolicy as a per-call policy) to tell them apart",
		r.Client, r.Method, r.Path, bound)
}
