package results

import (
	"iter"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Totals counts a run's responses by kind.
type Totals struct {
	Requests  int `json:"requests"`
	Succeeded int `json:"succeeded"`
	Throttled int `json:"throttled"`
	// Unauthorized and Forbidden are 401s and 403s.
	Unauthorized int `json:"unauthorized"`
	Forbidden    int `json:"forbidden"`
	// OtherStatus is any other HTTP status; Unreached is a request that got no
	// response at all (refused, reset, timed out).
	OtherStatus int `json:"other_status"`
	Unreached   int `json:"unreached"`
	// FirstError is the first transport error seen, to explain Unreached.
	FirstError string `json:"first_error,omitempty"`
}

// Add counts one result.
func (t *Totals) Add(r *vegeta.Result) {
	t.Requests++
	switch {
	case r.Code == 0:
		t.Unreached++
		if t.FirstError == "" {
			t.FirstError = r.Error
		}
	case r.Code >= 200 && r.Code < 300:
		t.Succeeded++
	case r.Code == 429:
		t.Throttled++
	case r.Code == 401:
		t.Unauthorized++
	case r.Code == 403:
		t.Forbidden++
	default:
		t.OtherStatus++
	}
}

// Tally counts a stream of results.
func Tally(rs iter.Seq[*vegeta.Result]) Totals {
	var t Totals
	for r := range rs {
		t.Add(r)
	}
	return t
}

// NoneReached reports whether the target answered none of the requests: the
// run says nothing about quotas, only that the target could not be reached.
func (t Totals) NoneReached() bool { return t.Requests > 0 && t.Unreached == t.Requests }
