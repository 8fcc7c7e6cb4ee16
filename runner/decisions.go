package runner

import (
	"sync"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
)

// maxDecisions bounds the embedded emulator's record of a run (about 100 MB
// at most); a run past it keeps no record, and the report says the
// self-check was not made.
const maxDecisions = 1_000_000

// decisionLog keeps the embedded emulator's quota decisions during the
// attack (an emulator.RequestObserver), for the run directory's
// results.DecisionsFile: the exact figures the client's bands must hold
// (assert.CheckSelf).
type decisionLog struct {
	mu      sync.Mutex
	ds      []results.Decision
	dropped int
}

// ObserveRequest is the plain Observer's method; decisions arrive through
// ObserveDetail.
func (*decisionLog) ObserveRequest(string, limits.Class, int) {}

// ObserveDetail keeps the request if the quota step decided on it.
func (l *decisionLog) ObserveDetail(info emulator.RequestInfo) {
	if info.Decided.IsZero() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ds) >= maxDecisions {
		l.dropped++
		return
	}
	l.ds = append(l.ds, results.Decision{At: info.Decided, Method: info.Method, Path: info.Path, Vault: info.Vault, Class: info.Class, Status: info.Status})
}

// reset forgets the setup's decisions: the emulator forgets their quota too.
func (l *decisionLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ds, l.dropped = nil, 0
}

// write stores the record in dir, unless part of it was dropped (false).
func (l *decisionLog) write(dir string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dropped > 0 {
		return false, nil
	}
	return true, results.WriteDecisions(dir, l.ds)
}
