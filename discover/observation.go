package discover

import "time"

// Obs is one request of a probe schedule as the client saw it.
type Obs struct {
	// At is the single best guess of when the target decided: the midpoint
	// of writing the request and reading the first byte of its answer, as
	// an offset from the schedule's start. The schedule steers by it and the
	// fit's seeds are read off it; the fit itself judges on [Sent, Answered].
	At time.Duration
	// Sent and Answered bound when the target decided: no earlier than the
	// request had a connection to go out on, no later than the first byte of
	// the answer came back. On a quiet loopback they are a fraction of a
	// millisecond apart; on a busy machine (two cores, a -race build, other
	// processes) a hundred milliseconds and more, and any time in between is
	// as likely as At.
	Sent, Answered time.Duration
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
