package fanout_test

import (
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/internal/fanout"
)

// reused yields n results through one reused value, as Stream.All does.
func reused(n int) iter.Seq[*vegeta.Result] {
	return func(yield func(*vegeta.Result) bool) {
		var r vegeta.Result
		for i := range n {
			r = vegeta.Result{Seq: uint64(i), Code: 200, Timestamp: time.Unix(int64(i), 0)}
			if !yield(&r) {
				return
			}
		}
	}
}

func TestShareHandsEveryResultToEveryConsumerInOrder(t *testing.T) {
	const n = 5000 // several batches and a partial one
	seen := make([][]uint64, 3)
	kept := make([]*vegeta.Result, 0, n)
	consumer := func(i int) fanout.Consumer[vegeta.Result] {
		return func(rs iter.Seq[*vegeta.Result]) error {
			for r := range rs {
				seen[i] = append(seen[i], r.Seq)
				if i == 0 {
					kept = append(kept, r)
				}
			}
			return nil
		}
	}
	require.NoError(t, fanout.Share(reused(n), consumer(0), consumer(1), consumer(2)))
	for i := range seen {
		require.Len(t, seen[i], n)
		for j, s := range seen[i] {
			require.Equal(t, uint64(j), s)
		}
	}
	for j, r := range kept {
		require.Equal(t, uint64(j), r.Seq, "each result handed on is its own copy, not the stream's reused value")
	}
}

func TestShareCarriesOnWhenAConsumerStopsEarlyAndJoinsErrors(t *testing.T) {
	stop := errors.New("seen enough")
	var all int
	err := fanout.Share(reused(10000),
		func(rs iter.Seq[*vegeta.Result]) error {
			for range rs {
				return stop
			}
			return nil
		},
		func(rs iter.Seq[*vegeta.Result]) error {
			for range rs {
				all++
			}
			return nil
		})
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 10000, all)
}
