package quota

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// event is one admitted transaction.
type event struct {
	at    int64 // Unix nanoseconds
	class limits.Class
}

// slidingWindow allows at most the limit in any interval of one window's
// width: a transaction admitted at t counts until t+width. Events are kept in
// arrival order in a ring buffer, so eviction is from the front and recording
// at the back, with no allocation once the buffer has grown to the window's
// peak.
type slidingWindow struct {
	width time.Duration
	buf   []event
	head  int // index of the oldest event
	n     int // events held
	u     limits.Usage
}

func (s *slidingWindow) at(i int) *event { return &s.buf[(s.head+i)%len(s.buf)] }

// advance evicts every event at or before now-width.
func (s *slidingWindow) advance(now time.Time) {
	cut := now.Add(-s.width).UnixNano()
	for s.n > 0 {
		e := s.at(0)
		if e.at > cut {
			break
		}
		s.u.Add(e.class, -1)
		*e = event{}
		s.head = (s.head + 1) % len(s.buf)
		s.n--
	}
}

func (s *slidingWindow) usage() *limits.Usage { return &s.u }

func (s *slidingWindow) add(now time.Time, c limits.Class) {
	if s.n == len(s.buf) {
		s.grow()
	}
	*s.at(s.n) = event{at: now.UnixNano(), class: c}
	s.n++
	s.u.Add(c, 1)
}

func (s *slidingWindow) grow() {
	nb := make([]event, max(64, 2*len(s.buf)))
	for i := range s.n {
		nb[i] = *s.at(i)
	}
	s.buf, s.head = nb, 0
}

// roomAt walks the events oldest first, taking each out of the usage until one
// more of class c fits; the room appears when the last one taken out leaves
// the window. The usage is put back as it was.
func (s *slidingWindow) roomAt(now time.Time, p *limits.Profile, factor int, c limits.Class) time.Time {
	if s.u.Fits(p, factor, c) {
		return now
	}
	var k int
	var leaves time.Time
	for k = 0; k < s.n; k++ {
		e := s.at(k)
		s.u.Add(e.class, -1)
		if s.u.Fits(p, factor, c) {
			leaves = time.Unix(0, e.at).Add(s.width)
			k++
			break
		}
	}
	for i := range k {
		s.u.Add(s.at(i).class, 1)
	}
	if leaves.IsZero() { // cannot happen for a class with a positive limit
		return now.Add(s.width)
	}
	return leaves
}

func (s *slidingWindow) fits(p *limits.Profile, factor int, c limits.Class) bool {
	return s.u.Fits(p, factor, c)
}
