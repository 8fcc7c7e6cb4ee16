package emulator

import (
	"slices"
	"sync"

	"github.com/kvquota/kvquota/limits"
)

// DefaultMaxRecords is how many requests a Recorder keeps when told no
// limit: about 60 MB, several minutes of an application at Key Vault's
// whole 2021 limit.
const DefaultMaxRecords = 250_000

// Recorder is a RequestObserver that keeps every request's details in
// memory, up to a cap: past it, requests are counted as dropped rather than
// kept, so a long watch cannot exhaust memory and the report can say how
// much it did not see. Set it as Config.Observer.
type Recorder struct {
	mu      sync.Mutex
	max     int
	reqs    []RequestInfo
	dropped int
}

// NewRecorder returns a Recorder keeping at most max requests
// (DefaultMaxRecords when max <= 0).
func NewRecorder(max int) *Recorder {
	if max <= 0 {
		max = DefaultMaxRecords
	}
	return &Recorder{max: max}
}

// ObserveRequest is the plain Observer's method; the details arrive through
// ObserveDetail.
func (*Recorder) ObserveRequest(string, limits.Class, int) {}

// ObserveDetail keeps one request, or counts it as dropped past the cap.
func (rc *Recorder) ObserveDetail(info RequestInfo) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.reqs) >= rc.max {
		rc.dropped++
		return
	}
	rc.reqs = append(rc.reqs, info)
}

// Requests returns a copy of the requests kept, in order of arrival (Start).
func (rc *Recorder) Requests() []RequestInfo {
	rc.mu.Lock()
	out := slices.Clone(rc.reqs)
	rc.mu.Unlock()
	slices.SortStableFunc(out, func(a, b RequestInfo) int { return a.Start.Compare(b.Start) })
	return out
}

// Dropped returns how many requests arrived past the cap and were not kept.
func (rc *Recorder) Dropped() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.dropped
}
