package assert

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// gallop finds what a binary search finds, from any finger, for times
// before, among and after the series', repeated and not.
func TestGallopAgreesWithBinarySearch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		ts := make([]int64, n)
		for i := range ts {
			ts[i] = rnd.Int64N(30)
		}
		slices.Sort(ts)
		finger := 0
		for range 200 {
			q := rnd.Int64N(40) - 5
			if rnd.IntN(4) == 0 {
				finger = rnd.IntN(n+3) - 1
			}
			require.Equal(t, upTo(ts, q), gallop(ts, q, &finger), "n %d, query %d", n, q)
		}
	}
}
