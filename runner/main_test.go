package runner

import (
	"testing"

	"github.com/kvquota/kvquota/internal/testmain"
)

// parallel is how many of this package's tests run at once unless
// -parallel says otherwise. The default, GOMAXPROCS, is 2 on the machines
// this runs on, but the end-to-end tests spend most of their time waiting on
// real windows (a 1 s window at x0.1 holds 5 to 150 requests a second), not
// on the CPU: two at a time they took 268 s; four at a time (and the
// wrong-row suite two scenarios at a time) 89 s, using 78 CPU-seconds.
// Their verdicts hold on a busy machine (a band, or inconclusive, never a
// false fail), so running them together costs nothing but CPU.
const parallel = "4"

func TestMain(m *testing.M) {
	testmain.Default("test.parallel", parallel)
	testmain.Exit(m.Run())
}
