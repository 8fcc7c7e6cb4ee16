package assert

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kvquota/kvquota/scenarios"
)

// errorShape judges the error bodies of class c: every response whose status
// has a rule in errorShapes (today 429) must carry Key Vault's JSON error.
func (j *judge) errorShape(c int, tol float64) Verdict {
	t := j.tallies[c]
	v := j.verdict(scenarios.CheckErrorShape, c, tol, AtMost)
	v.Unit = "malformed error responses"
	v.Measured = float64(t.badShape)
	v.SetOutcome(settle(v))
	statuses := shapedStatuses()
	name := j.classes[c]
	switch {
	case t.shaped == 0:
		v.Detail = fmt.Sprintf("No %s response of %s to judge.", statuses, name)
	case t.badShape == 0:
		v.Detail = fmt.Sprintf("All %d %s responses of %s had Key Vault's error shape.", t.shaped, statuses, name)
	default:
		b := t.firstBad
		v.At = ptr(j.offset(b.at))
		v.Detail = fmt.Sprintf("%d of %d %s responses of %s were not in Key Vault's error shape; the first, a %d at %s: %s; body: %s.",
			t.badShape, t.shaped, statuses, name, b.status, secs(*v.At), b.reason, b.body)
	}
	if t.ctUnknown > 0 {
		v.Detail += fmt.Sprintf(" %d of the %s responses were stored without headers, so their Content-Type was not judged.", t.ctUnknown, statuses)
	}
	if j.unclassified > 0 {
		v.Detail += " Note: " + j.unclassifiedNote() + "."
	}
	return v
}

// shapedStatuses lists the statuses with a shape rule, e.g. "429" or "401/403/429".
func shapedStatuses() string {
	var ss []int
	for s := range errorShapes {
		ss = append(ss, s)
	}
	slices.Sort(ss)
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, "/")
}
