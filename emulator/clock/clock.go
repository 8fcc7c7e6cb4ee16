// Package clock gives the emulator its sense of time. Every time-dependent part
// of the emulated vault (token lifetimes, quota windows, secret timestamps)
// takes a Clock, so that tests can move time forward by ten seconds instead of
// waiting for it.
package clock

import "time"

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real returns the wall clock.
func Real() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
