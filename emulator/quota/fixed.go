package quota

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// fixedWindow counts in buckets of one window's width aligned to the Unix
// epoch, and forgets everything when the next bucket begins.
type fixedWindow struct {
	width time.Duration
	start time.Time // the current bucket's start; zero before the first use
	u     limits.Usage
}

// bucketStart is the start of the epoch-aligned bucket holding t.
func bucketStart(t time.Time, width time.Duration) time.Time {
	n := t.UnixNano()
	w := int64(width)
	s := n - n%w
	if n%w < 0 { // before 1970: round down, not toward zero
		s -= w
	}
	return time.Unix(0, s)
}

func (f *fixedWindow) advance(now time.Time) {
	if s := bucketStart(now, f.width); !s.Equal(f.start) {
		f.start = s
		f.u.Reset()
	}
}

func (f *fixedWindow) usage() *limits.Usage { return &f.u }

func (f *fixedWindow) add(_ time.Time, c limits.Class) { f.u.Add(c, 1) }

// roomAt: nothing leaves a fixed bucket early; everything leaves when the next
// one begins.
func (f *fixedWindow) roomAt(time.Time, *limits.Profile, int, limits.Class) time.Time {
	return f.start.Add(f.width)
}

func (f *fixedWindow) fits(p *limits.Profile, factor int, c limits.Class) bool {
	return f.u.Fits(p, factor, c)
}
