package bench

import (
	"flag"
	"testing"

	"github.com/kvquota/kvquota/internal/testexit"
)

// testBenchtime is -test.benchtime when it is not given: the benchmarks this
// package's tests run through testing.Benchmark (Kvtest) then time two
// cycles (after the one that sizes them) instead of a second's worth per
// window model. The tests hold that a cycle works and is timed, not how
// fast it is (`kvquota bench` is where it is judged, at full length). The
// package has no Benchmark functions of its own for the setting to cut.
const testBenchtime = "2x"

// TestMain sets testBenchtime unless -test.benchtime is given, and ends the
// binary without the race detector's pause (testexit).
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.benchtime" })
	if !given {
		if err := flag.Set("test.benchtime", testBenchtime); err != nil {
			panic(err)
		}
	}
	testexit.Exit(m.Run())
}
