package assert

import (
	"fmt"
	"iter"
	"net/http"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// SelfCheck is the outcome of CheckSelf (results.SelfCheck).
type SelfCheck = results.SelfCheck

// CheckSelf holds the client's bands against the target's own record of its
// decisions (the embedded emulator's, results.Decision): every figure the
// target knows exactly must lie inside the band the client computed for it,
// under the model the target counted by (in.Window; fixed buckets are the
// epoch's, as the emulator's are). A figure outside its band is a bug in
// kvquota's bands, never the target's fault. It checks, per class, the
// window at the first 429, the emptiest window at any 429, the fullest
// window, and each stage's goodput over the client's own span. in is the
// Input the run is judged with.
func CheckSelf(in Input, client iter.Seq[*vegeta.Result], decisions []results.Decision) (*SelfCheck, error) {
	kind := limits.Counting(in.Window)
	in.Window = kind
	if err := in.validate(); err != nil {
		return nil, err
	}
	rc, err := reduce(&in, client)
	if err != nil {
		return nil, err
	}
	if in.Start.IsZero() {
		in.Start = timeOf(rc.start)
	}
	rt, err := reduce(&in, decisionResults(decisions))
	if err != nil {
		return nil, fmt.Errorf("assert: the target's record: %w", err)
	}
	w := int64(in.Profile.Window)
	m := windowModel{kind: kind, window: w, phase: floorMod(-rc.start, w), epoch: true}
	jc, jt := newJudge(&in, rc).under(m), newJudge(&in, rt).under(m)
	sc := &SelfCheck{}
	for ci, c := range rc.classes {
		ti, ok := rt.index[c]
		if !ok {
			continue
		}
		compareClass(sc, jc, jt, ci, int(ti), in.Stages)
	}
	return sc, nil
}

// compareClass compares class c's figures (index ci of the client's run, ti
// of the target's).
func compareClass(sc *SelfCheck, jc, jt *judge, ci, ti int, stages []scenarios.Span) {
	cs, ts := jc.classStats(ci), jt.classStats(ti)
	name := jc.classes[ci]
	within(sc, fmt.Sprintf("%s: the fullest window", name), cs.peak, ts.peak.lo)
	if cs.n429 > 0 && ts.n429 > 0 {
		within(sc, fmt.Sprintf("%s: the window at the first 429", name), cs.onset, ts.onset.lo)
		cl, _ := cs.lowest()
		tl, _ := ts.lowest()
		within(sc, fmt.Sprintf("%s: the emptiest window at a 429", name), cl, tl.lo)
	}
	for _, s := range stages {
		f := jc.measureStage(s, ci)
		if !f.ok {
			continue
		}
		exact := jt.successes(ti).between(f.anchor-jc.start, f.end-jc.start).lo
		if !jc.weighted {
			exact /= float64(f.windows) * jc.profile.Window.Seconds()
		} else {
			exact /= float64(f.windows)
		}
		within(sc, fmt.Sprintf("%s: goodput in stage %d", name, s.Stage), f.band, exact)
	}
}

func within(sc *SelfCheck, what string, b band, exact float64) {
	sc.Checked++
	const eps = 1e-9
	if exact < b.lo-eps*max(1, b.lo) || exact > b.hi+eps*max(1, b.hi) {
		sc.Outside = append(sc.Outside, fmt.Sprintf("%s is %.4g by the target's record, outside the client's band %.4g to %.4g", what, exact, b.lo, b.hi))
	}
}

// decisionResults turns the target's record into results decided and
// answered at the same instant, so its figures are exact. A decision the
// record holds went through the target's quota: whatever its status (a 404
// after admission, say), it used quota unless it was refused with a 429, so
// it counts as a success.
func decisionResults(ds []results.Decision) iter.Seq[*vegeta.Result] {
	ds = slices.Clone(ds)
	return func(yield func(*vegeta.Result) bool) {
		for i := range ds {
			d := &ds[i]
			if d.At.IsZero() {
				continue
			}
			code := uint16(http.StatusOK)
			if d.Status == http.StatusTooManyRequests {
				code = http.StatusTooManyRequests
			}
			r := &vegeta.Result{Timestamp: d.At, Method: d.Method, URL: "https://emulator" + d.Path, Code: code}
			if !yield(r) {
				return
			}
		}
	}
}

func timeOf(ns int64) time.Time { return time.Unix(0, ns) }
