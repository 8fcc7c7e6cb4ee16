package assert

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
)

// maxQuote bounds the part of a bad body quoted in a verdict's Detail.
const maxQuote = 160

// maxClasses bounds the distinct classes a run may hold; records index
// classes with a uint16.
const maxClasses = math.MaxUint16

// ErrNoResults is returned by Check for a run without a single result.
var ErrNoResults = errors.New("assert: the run holds no results, so there is nothing to judge")

// run is a stored run reduced for judging: one record per classified result,
// sorted by send time, and the totals set aside while streaming.
type run struct {
	classTable
	recs    []record
	tallies []tally
	// unclassified counts results the classifier could not place.
	unclassified int
	// start is the start of the attack in Unix nanoseconds.
	start int64
}

// reduce streams the results once and keeps only their records, handing
// every result to each of passes on the way.
func reduce(in *Input, results iter.Seq[*vegeta.Result], passes ...func(*vegeta.Result)) (*run, error) {
	classify := in.Classify
	if classify == nil {
		classify = limits.NewURLClassifier()
	}
	r := &run{classTable: classTable{index: make(map[limits.Class]uint16)}}
	var memo shapeMemo
	var buf recordBuf
	earliest, n := int64(math.MaxInt64), 0
	for res := range results {
		n++
		if res == nil {
			return nil, fmt.Errorf("assert: result %d is nil", n)
		}
		if res.Timestamp.IsZero() || res.Timestamp.Year() < 1700 || res.Timestamp.Year() > 2200 {
			return nil, fmt.Errorf("assert: result %d (%s %s) has no usable timestamp (%v)", n, res.Method, res.URL, res.Timestamp)
		}
		for _, p := range passes {
			p(res)
		}
		at := res.Timestamp.UnixNano()
		earliest = min(earliest, at)
		c, ok := classify(res.Method, res.URL)
		if !ok {
			r.unclassified++
			continue
		}
		ci, err := r.classIndex(in.Profile, c)
		if err != nil {
			return nil, err
		}
		rec := record{at: at, ans: at + max(0, int64(res.Latency)), code: recordCode(res), class: ci}
		t := &r.tallies[ci]
		t.requests++
		switch {
		case res.Code == 0:
			t.noResponse++
			if rec.code == codeUnsent {
				t.unsent++
			}
		case !rec.success() && !rec.throttled():
			t.other++
		}
		if s, ok := errorShapes[int(res.Code)]; ok {
			t.shaped++
			problem, known := memo.problem(s, res.Body, res.Headers)
			if !known {
				t.ctUnknown++
			}
			if problem != "" {
				t.badShape++
				if t.firstBad == nil || at < t.firstBad.at {
					t.firstBad = &badResponse{at: at, status: s.status, reason: problem, body: quote(res.Body)}
				}
			}
		}
		buf.add(rec)
	}
	if n == 0 {
		return nil, ErrNoResults
	}
	r.recs = buf.records()
	if len(r.recs) == 0 {
		return nil, fmt.Errorf("assert: none of the run's %d results could be classified (give Input.Classify for requests other than secrets)", n)
	}
	r.start = earliest
	if !in.Start.IsZero() {
		r.start = in.Start.UnixNano()
	}
	slices.SortFunc(r.recs, func(a, b record) int { return cmp.Compare(a.at, b.at) })
	return r, nil
}

// classIndex returns the index of class c, adding it on first sight.
func (r *run) classIndex(p *limits.Profile, c limits.Class) (uint16, error) {
	if i, ok := r.index[c]; ok {
		return i, nil
	}
	l := p.Limit(c)
	if l <= 0 {
		return 0, fmt.Errorf("assert: profile %s has no limit for class %q", p.Name, c)
	}
	if len(r.classes) >= maxClasses {
		return 0, fmt.Errorf("assert: the run holds more than %d classes", maxClasses)
	}
	i := uint16(len(r.classes))
	r.index[c] = i
	r.classes = append(r.classes, c)
	r.limits = append(r.limits, l)
	r.tallies = append(r.tallies, tally{})
	return i, nil
}

// offset returns the Unix-nanosecond time t as an offset from the start.
func (r *run) offset(t int64) time.Duration { return time.Duration(t - r.start) }

// order returns the class indices in the order verdicts list them: the
// profile's documented order, then any other class by name.
func (r *run) order() []int {
	pos := make(map[limits.Class]int)
	for i, c := range limits.AllClasses() {
		pos[c] = i
	}
	idx := make([]int, len(r.classes))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		pa, oka := pos[r.classes[a]]
		pb, okb := pos[r.classes[b]]
		switch {
		case oka && okb:
			return cmp.Compare(pa, pb)
		case oka:
			return -1
		case okb:
			return 1
		}
		return cmp.Compare(r.classes[a], r.classes[b])
	})
	return idx
}

// quote returns a body for a Detail: on one line, shortened on a rune
// boundary, and "(empty)" when there is nothing to show.
func quote(b []byte) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return "(empty)"
	}
	cut, more := len(b), ""
	if cut > maxQuote {
		cut, more = maxQuote, "…"
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, string(b[:cut])) + more
}
