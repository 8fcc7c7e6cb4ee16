package attack

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/scenarios"
)

// The shards of a ramp, put together, are the whole schedule hit for hit:
// nothing lost or doubled, at the same moments, and each shard's hits fall
// between its neighbours'.
func TestShardsAddUpToTheWholeSchedule(t *testing.T) {
	t.Parallel()
	spans := []scenarios.Span{span(1, 0, s, 50, 50), span(2, s, 4*s, 50, 200), span(3, 4*s, 5*s, 200, 200)}
	whole := simulate(t, NewPacer(spans))
	for _, n := range []int{1, 3, 4, 7} {
		var merged []time.Duration
		for i := 1; i <= n; i++ {
			p := NewPacer(spans).Shard(i, n)
			require.NoError(t, p.Err())
			got := simulate(t, p)
			assert.InDelta(t, len(whole)/n, len(got), 1, "shard %d/%d sends its share", i, n)
			assert.InDelta(t, NewPacer(spans).Total()/float64(n), p.Total(), 1e-9)
			assert.InDelta(t, NewPacer(spans).Rate(2*s)/float64(n), p.Rate(2*s), 1e-9)
			assert.InDelta(t, NewPacer(spans).Hits(3*s)/float64(n), p.Hits(3*s), 1e-9)
			merged = append(merged, got...)
		}
		slices.Sort(merged)
		assert.Equal(t, whole, merged, "%d shards send exactly the whole schedule's hits", n)
	}
}

func TestShardsInterleave(t *testing.T) {
	t.Parallel()
	spans := []scenarios.Span{span(1, 0, s, 100, 100)} // a hit every 10 ms
	for i := 1; i <= 4; i++ {
		got := simulate(t, NewPacer(spans).Shard(i, 4))
		require.Len(t, got, 25)
		// Shard i's k-th hit is hit 4k+i-1 of the whole: (i-1) x 10 ms after
		// shard 1's, 40 ms apart.
		for k, at := range got {
			assert.Equal(t, time.Duration(4*k+i-1)*10*time.Millisecond, at, "shard %d hit %d", i, k)
		}
	}
}

func TestShardOutOfRangeIsRefused(t *testing.T) {
	t.Parallel()
	spans := []scenarios.Span{span(1, 0, s, 10, 10)}
	for _, c := range [][2]int{{0, 4}, {5, 4}, {1, 0}} {
		p := NewPacer(spans).Shard(c[0], c[1])
		require.Error(t, p.Err(), "%v", c)
		_, stop := p.Pace(0, 0)
		assert.True(t, stop, "a refused shard sends nothing")
	}
	assert.Equal(t, simulate(t, NewPacer(spans)), simulate(t, NewPacer(spans).Shard(1, 1)), "1 of 1 is the whole")
}
