package bench

import (
	"testing"

	"github.com/kvquota/kvquota/internal/testmain"
)

// testBenchtime is -test.benchtime when it is not given: the benchmarks this
// package's tests run through testing.Benchmark (Kvtest) then time two
// cycles (after the one that sizes them) instead of a second's worth per
// window model. The tests hold that a cycle works and is timed, not how
// fast it is (`kvquota bench` is where it is judged, at full length). The
// package has no Benchmark functions of its own for the setting to cut.
const testBenchtime = "2x"

// TestMain sets testBenchtime unless -test.benchtime is given, and ends the
// binary without the race detector's pause (testmain).
func TestMain(m *testing.M) {
	testmain.Default("test.benchtime", testBenchtime)
	testmain.Exit(m.Run())
}
