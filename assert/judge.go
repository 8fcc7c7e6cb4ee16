package assert

import (
	"fmt"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// judge holds a reduced run together with how it is to be judged.
type judge struct {
	*run
	profile *limits.Profile
	// m is the window model the figures are taken under, model its kind.
	m     windowModel
	model limits.WindowModel
	// window is the profile's window in nanoseconds.
	window int64
	// weighted is true when a mix of classes is judged on its weighted sum:
	// figures are then costs (1.0 = a full window), not counts.
	weighted bool
	// throttles is filled on first use by throttleStats.
	throttles []throttleStats
	// series holds the successes each class's figures count (window.go),
	// by class index, -1 for the weighted mix; shared by every model.
	series map[int]*series
}

func newJudge(in *Input, r *run) *judge {
	return &judge{
		run:      r,
		profile:  in.Profile,
		window:   int64(in.Profile.Window),
		weighted: !in.PerClass && len(r.classes) > 1,
		series:   map[int]*series{},
	}
}

// under returns a judge of the same run under model m, sharing the series.
func (j *judge) under(m windowModel) *judge {
	k := *j
	k.m, k.model, k.throttles = m, m.kind, nil
	return &k
}

// candidates are the models the run is judged under: every one the
// documentation allows, or only those of the kind asked for.
func (j *judge) candidates(kind limits.WindowModel) []windowModel {
	var ms []windowModel
	if kind == limits.AnyModel || kind == limits.Sliding {
		ms = append(ms, windowModel{kind: limits.Sliding, window: j.window})
	}
	if kind == limits.AnyModel || kind == limits.Fixed {
		for i, p := range j.fixedPhases() {
			ms = append(ms, windowModel{kind: limits.Fixed, window: j.window, phase: p, epoch: i == 0})
		}
	}
	if kind == limits.AnyModel || kind == limits.TokenBucket {
		ms = append(ms, windowModel{kind: limits.TokenBucket, window: j.window})
	}
	return ms
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// unit names the figure onset, no-early-throttle and goodput report.
func (j *judge) windowUnit() string {
	if j.weighted {
		return "window budget (1.0 = full)"
	}
	return "successes per window"
}

// limitFigure is what a full window holds: the class's limit, or 1.0 weighted.
func (j *judge) limitFigure(c int) float64 {
	if j.weighted {
		return 1
	}
	return float64(j.limits[c])
}

// held describes a window figure, e.g. "100 successes" or "a summed cost of
// 0.985 (weighted over every class)".
func (j *judge) held(f float64) string {
	if j.weighted {
		return fmt.Sprintf("a summed cost of %.3f (weighted over every class)", f)
	}
	return fmt.Sprintf("%.0f successes", f)
}

// limitPhrase describes what a full window holds for class c.
func (j *judge) limitPhrase(c int) string {
	if j.weighted {
		return "a full window of 1.0"
	}
	return fmt.Sprintf("a limit of %d", j.limits[c])
}

// windowPhrase names the window holding t (from the start) for a Detail.
func (j *judge) windowPhrase(t int64) string {
	w := time.Duration(j.window)
	switch j.model {
	case limits.Fixed:
		b := j.m.bucketStart(t)
		return fmt.Sprintf("the fixed %v bucket [%s, %s)", w, secs(time.Duration(b)), secs(time.Duration(b+j.window)))
	case limits.TokenBucket:
		return fmt.Sprintf("the token bucket (one %v window's worth, refilled over %v)", w, w)
	}
	return fmt.Sprintf("the sliding %v window ending then", w)
}

// sentIn counts, by class, the successes sent in the window holding t (from
// the start) under the judge's model: what a Detail shows of a window's mix.
func (j *judge) sentIn(t int64) []int {
	from := t - j.window + 1
	if j.model == limits.Fixed {
		from = j.m.bucketStart(t)
	}
	counts := make([]int, len(j.classes))
	for _, r := range j.recs {
		if rel := r.at - j.start; r.success() && rel >= from && rel <= t {
			counts[r.class]++
		}
	}
	return counts
}

// composition lists a window's successes by class, e.g. "3650 secrets + 280 secrets-create".
func (j *judge) composition(counts []int) string {
	var parts []string
	for _, c := range j.order() {
		if counts[c] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[c], j.classes[c]))
		}
	}
	if len(parts) == 0 {
		return "no successes"
	}
	return strings.Join(parts, " + ")
}

// notes returns what a Detail should add about results the checks could not
// count for certain: requests with no response or with another status
// (possibly admitted, record.span), and requests not classified.
func (j *judge) notes(c int) string {
	var parts []string
	t := j.tallies[c]
	if n := t.noResponse - t.unsent; n > 0 {
		parts = append(parts, fmt.Sprintf("%d request(s) of %s got no response (timeouts, resets): the target may have counted them, so each counts as possibly held by every window after its send", n, j.classes[c]))
	}
	if t.unsent > 0 {
		parts = append(parts, fmt.Sprintf("%d request(s) of %s never reached the target (their connection failed) and count for nothing", t.unsent, j.classes[c]))
	}
	if t.other > 0 {
		parts = append(parts, fmt.Sprintf("%d request(s) of %s were answered with a status other than a success or a 429: the target may have counted them, so each counts as possibly held by the windows its interval touches", t.other, j.classes[c]))
	}
	if j.unclassified > 0 {
		parts = append(parts, j.unclassifiedNote())
	}
	if len(parts) == 0 {
		return ""
	}
	return " Note: " + strings.Join(parts, "; ") + "."
}

func (j *judge) unclassifiedNote() string {
	return fmt.Sprintf("%d request(s) could not be classified and were not judged", j.unclassified)
}

// secs prints an offset in seconds, e.g. "23.41 s".
func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// deviation prints m relative to e, e.g. "+0.3%".
func deviation(m, e float64) string {
	if e == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%+.2f%%", 100*(m-e)/e)
}

func ptr(d time.Duration) *time.Duration { return &d }
