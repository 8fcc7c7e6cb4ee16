package assert

import (
	"fmt"
	"math"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

// The answered check: every request sent got an HTTP answer. vegeta records
// a request that got none (connection refused or reset, a timeout, a target
// that died mid-run) as a result with code 0 and its error; the other checks
// count such results aside (a note in their Detail), because a request with
// no answer is neither a success nor a 429, and their bands count it as
// possibly admitted at any time after it was sent (record.span), unless it
// never left the client.
//
// A run whose target stopped answering (the requests sent after the last one
// it answered got none: it died, or its network went away) gets this
// verdict even when its scenario does not ask for it, and fails: the figures
// of the other checks then describe a cut-short run, not the target's
// quota. Scattered unanswered requests (a timeout here and there, the target
// answering again afterwards) stay notes in the other verdicts unless the
// scenario asks for `{check: answered}`, whose tolerance is the share of
// requests that may go unanswered (default 0).
//
// A failed answered verdict fails the gate with exit code 1 like any other
// failed check, from `kvquota run` and `kvquota report` alike (the stored
// results are all the verdict needs); exit code 3 stays for a target that
// answered nothing at all. The results with no answer are kept in the run's
// results file and counted as unreached in the report's totals.

// answeredStats is what the check reads from the results.
type answeredStats struct {
	requests, unanswered int
	// lastAnswered and firstUnanswered are send times in Unix nanoseconds;
	// afterLast counts unanswered requests sent after lastAnswered.
	lastAnswered, firstUnanswered int64
	afterLast                     int
	firstError                    string
}

// answeredPass counts, in reduce's one read of the results, the results
// that got no answer; it also tells whether the check is needed at all.
type answeredPass struct {
	s            answeredStats
	unansweredAt []int64
}

func newAnsweredPass() *answeredPass {
	return &answeredPass{s: answeredStats{lastAnswered: math.MinInt64, firstUnanswered: math.MaxInt64}}
}

func (a *answeredPass) add(r *vegeta.Result) {
	at := r.Timestamp.UnixNano()
	a.s.requests++
	if r.Code != 0 {
		a.s.lastAnswered = max(a.s.lastAnswered, at)
		return
	}
	a.s.unanswered++
	a.unansweredAt = append(a.unansweredAt, at)
	if at < a.s.firstUnanswered {
		a.s.firstUnanswered = at
		a.s.firstError = strings.Clone(r.Error)
	}
}

func (a *answeredPass) stats() answeredStats {
	s := a.s
	for _, at := range a.unansweredAt {
		if at > s.lastAnswered {
			s.afterLast++
		}
	}
	return s
}

// stopped reports whether the target stopped answering: requests sent after
// the last one it answered got no answer. (Not "every unanswered request came
// after the last answer": while a server shuts down, a new connection can be
// refused while a request already on an open one is still answered.)
func (s answeredStats) stopped() bool { return s.afterLast > 0 }

// answered judges the share of requests that got an answer: measured is the
// number answered, expected every request sent, at least, with tol the share
// that may go unanswered.
// start is the attack's start in Unix nanoseconds, for offsets.
func answered(in *Input, s answeredStats, tol float64, start int64) Verdict {
	v := Verdict{
		Check: scenarios.CheckAnswered, Comparison: AtLeast, Tolerance: tol, Window: in.Window,
		Unit:     "requests answered (any HTTP status)",
		Measured: float64(s.requests - s.unanswered), Expected: float64(s.requests),
	}
	v.SetOutcome(settle(v))
	if s.unanswered == 0 {
		v.Detail = fmt.Sprintf("The target answered all %d requests.", s.requests)
		return v
	}
	off := func(at int64) string { return secs(time.Duration(at - start)) }
	share := 100 * float64(s.unanswered) / float64(s.requests)
	errText := quoteString(s.firstError)
	switch {
	case s.lastAnswered == math.MinInt64:
		v.At = ptr(time.Duration(s.firstUnanswered - start))
		v.Detail = fmt.Sprintf("The target answered none of the %d requests (first error: %s).", s.requests, errText)
	case s.afterLast > 0:
		v.At = ptr(time.Duration(s.lastAnswered - start))
		v.Detail = fmt.Sprintf("The target stopped answering %s into the attack: the last request it answered was sent then, "+
			"and all %d requests sent after it got no answer (first error: %s); in all %d of %d requests (%.1f%%) got none. "+
			"The other checks judge only the answered requests.",
			off(s.lastAnswered), s.afterLast, errText, s.unanswered, s.requests, share)
	default:
		v.At = ptr(time.Duration(s.firstUnanswered - start))
		v.Detail = fmt.Sprintf("%d of %d requests (%.1f%%) got no answer, the first sent at %s (error: %s); "+
			"the target answered again afterwards, last to a request sent at %s.",
			s.unanswered, s.requests, share, off(s.firstUnanswered), errText, off(s.lastAnswered))
	}
	if v.Failed() && tol > 0 {
		v.Detail += fmt.Sprintf(" At most %.2f%% may go unanswered.", 100*tol)
	}
	return v
}

// mayBeUnanswered reports whether the reduced run can hold a request with no
// answer: a class counted one, or some results were not classified (and so
// not counted). Only then is the answered check's extra pass made.
func (r *run) mayBeUnanswered() bool {
	if r.unclassified > 0 {
		return true
	}
	for _, t := range r.tallies {
		if t.noResponse > 0 {
			return true
		}
	}
	return false
}

// expects reports whether the scenario asks for check c.
func (in *Input) expects(c scenarios.CheckName) bool {
	for _, e := range in.Expect {
		if e.Check == c {
			return true
		}
	}
	return false
}
