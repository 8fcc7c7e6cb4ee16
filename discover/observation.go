package discover

import "time"

// Obs is one request of a probe schedule as the client saw it.
type Obs struct {
	// At is when the target most likely counted the request: the midpoint of
	// sending it and reading the answer, as an offset from the schedule's
	// start. A loopback round trip is well under a millisecond; a real vault's
	// tens of milliseconds are still small against a 10 s window.
	At time.Duration
	// OK is true for an admitted request (any answer but 429), false for a 429.
	OK bool
	// Phase names the part of the schedule that sent it.
	Phase Phase
}

// Phase is a part of the probe schedule.
type Phase string

// The parts of a probe schedule, in order.
const (
	PhaseQuiet    Phase = "quiet"
	PhaseBurst    Phase = "burst"
	PhaseRecovery Phase = "recovery"
	PhaseOverload Phase = "overload"
	PhaseTieBurst Phase = "tie-burst"
	PhaseTieProbe Phase = "tie-recovery"
)
