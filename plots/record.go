package plots

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
)

// kind is what became of a request, as the throughput figure groups it.
type kind uint8

const (
	succeeded kind = iota // 2xx
	throttled             // 429
	failed                // any other status, or no response at all
)

// noClass marks a request the classifier could not place.
const noClass = math.MaxUint16

// record is one result reduced to what the figures read: 16 bytes, where the
// *vegeta.Result would cost hundreds.
type record struct {
	at     int64  // send time, Unix nanoseconds
	lat    uint32 // latency in microseconds (saturating at about 71 minutes)
	class  uint16
	kind   kind
	status status
}

// maxSpan bounds the time a run may cover; longer means broken timestamps,
// and would make figures of millions of points.
const maxSpan = 24 * time.Hour

// run is a stored run reduced for drawing.
type run struct {
	recs    []record // sorted by send time
	classes []limits.Class
	limits  []int
	start   int64 // Unix nanoseconds
}

// chunkLen is the number of records per chunk while streaming: 1 MiB. One
// growing slice would copy the whole run at every doubling.
const chunkLen = 1 << 16

func reduce(in *Input, results iter.Seq[*vegeta.Result]) (*run, error) {
	classify := in.Classify
	if classify == nil {
		classify = limits.NewURLClassifier()
	}
	r := &run{}
	index := make(map[limits.Class]uint16)
	var chunks [][]record
	n := 0
	for res := range results {
		n++
		if res == nil {
			return nil, fmt.Errorf("plots: result %d is nil", n)
		}
		if res.Timestamp.IsZero() || res.Timestamp.Year() < 1700 || res.Timestamp.Year() > 2200 {
			return nil, fmt.Errorf("plots: result %d (%s %s) has no usable timestamp (%v)", n, res.Method, res.URL, res.Timestamp)
		}
		rec := record{at: res.Timestamp.UnixNano(), class: noClass, kind: failed,
			lat: micros(res.Latency), status: statusOf(res.Code)}
		switch {
		case res.Code >= 200 && res.Code < 300:
			rec.kind = succeeded
		case res.Code == 429:
			rec.kind = throttled
		}
		if c, ok := classify(res.Method, res.URL); ok {
			i, seen := index[c]
			if !seen {
				if in.Profile.Limit(c) <= 0 {
					return nil, fmt.Errorf("plots: profile %s has no limit for class %q", in.Profile.Name, c)
				}
				if len(r.classes) >= noClass {
					return nil, fmt.Errorf("plots: the run holds more than %d classes", noClass)
				}
				i = uint16(len(r.classes))
				index[c] = i
				r.classes = append(r.classes, c)
				r.limits = append(r.limits, in.Profile.Limit(c))
			}
			rec.class = i
		}
		if len(chunks) == 0 || len(chunks[len(chunks)-1]) == chunkLen {
			chunks = append(chunks, make([]record, 0, chunkLen))
		}
		chunks[len(chunks)-1] = append(chunks[len(chunks)-1], rec)
	}
	if n == 0 {
		return nil, ErrNoResults
	}
	r.recs = make([]record, 0, n)
	for _, c := range chunks {
		r.recs = append(r.recs, c...)
	}
	slices.SortFunc(r.recs, func(a, b record) int { return cmp.Compare(a.at, b.at) })
	r.start = r.recs[0].at
	if !in.Start.IsZero() {
		r.start = in.Start.UnixNano()
	}
	first, last := min(r.start, r.recs[0].at), r.recs[len(r.recs)-1].at
	if span := time.Duration(last - first); span > maxSpan {
		return nil, fmt.Errorf("plots: the results span %v (from the start or the first result to the last), more than %v: are the timestamps right?", span.Round(time.Second), maxSpan)
	}
	r.sortClasses()
	return r, nil
}

// sortClasses puts classes in the profile's documented order (then by name),
// so colours and legends are the same from one run to the next.
func (r *run) sortClasses() {
	pos := make(map[limits.Class]int)
	for i, c := range limits.AllClasses() {
		pos[c] = i
	}
	order := make([]int, len(r.classes))
	for i := range order {
		order[i] = i
	}
	rank := func(c limits.Class) (int, limits.Class) {
		if p, ok := pos[c]; ok {
			return p, ""
		}
		return len(pos), c
	}
	slices.SortFunc(order, func(a, b int) int {
		pa, na := rank(r.classes[a])
		pb, nb := rank(r.classes[b])
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(na, nb))
	})
	remap := make([]uint16, len(order))
	classes, lims := make([]limits.Class, len(order)), make([]int, len(order))
	for newIdx, old := range order {
		remap[old] = uint16(newIdx)
		classes[newIdx], lims[newIdx] = r.classes[old], r.limits[old]
	}
	for i := range r.recs {
		if c := r.recs[i].class; c != noClass {
			r.recs[i].class = remap[c]
		}
	}
	r.classes, r.limits = classes, lims
}

// seconds returns an offset from the start in seconds, for the x axis.
func (r *run) seconds(t int64) float64 { return time.Duration(t - r.start).Seconds() }
