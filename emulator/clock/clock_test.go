package clock

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := NewFake(start)
	assert.Equal(t, start, f.Now())
	assert.Equal(t, start, f.Now(), "reading does not move the clock")

	f.Advance(10 * time.Second)
	assert.Equal(t, start.Add(10*time.Second), f.Now())

	later := start.Add(time.Hour)
	f.Set(later)
	assert.Equal(t, later, f.Now())
}

func TestFakeIsSafeForConcurrentUse(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(2)
		go func() { defer wg.Done(); f.Advance(time.Millisecond) }()
		go func() { defer wg.Done(); _ = f.Now() }()
	}
	wg.Wait()
	assert.Equal(t, time.Unix(0, 0).Add(8*time.Millisecond), f.Now())
}

func TestRealFollowsTheWallClock(t *testing.T) {
	before := time.Now()
	got := Real().Now()
	require.False(t, got.Before(before))
	assert.WithinDuration(t, time.Now(), got, time.Second)
}
