package quota

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// window is one bucket's accounting under a window model. Calls are serialised
// by the Limiter.
type window interface {
	// advance drops what no longer counts at now.
	advance(now time.Time)
	// usage is what counts at the last advance.
	usage() *limits.Usage
	// fits reports whether one more transaction of class c fits at the given
	// factor, at the last advance.
	fits(p *limits.Profile, factor int, c limits.Class) bool
	// add records an admitted transaction at now.
	add(now time.Time, c limits.Class)
	// roomAt returns the earliest time at which one more transaction of class
	// c would fit at the given factor, if nothing else arrived.
	roomAt(now time.Time, p *limits.Profile, factor int, c limits.Class) time.Time
}
