package emulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLatency(t *testing.T) {
	for _, c := range []struct {
		in            string
		before, after time.Duration
		err           string
	}{
		{in: ""},
		{in: "40ms", before: 40 * time.Millisecond, after: 40 * time.Millisecond},
		{in: "50ms,20ms", before: 50 * time.Millisecond, after: 20 * time.Millisecond},
		{in: " 0s , 1s ", after: time.Second},
		{in: "fast", err: `latency "fast": want BEFORE[,AFTER] as durations such as 40ms,20ms`},
		{in: "10ms,-1ms", err: `latency "10ms,-1ms": a delay must be between 0 and 10s, got -1ms`},
		{in: "11s", err: `latency "11s": a delay must be between 0 and 10s, got 11s`},
	} {
		l, err := ParseLatency(c.in, 7)
		if c.err != "" {
			require.EqualError(t, err, c.err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		assert.Equal(t, c.before, l.Before, c.in)
		assert.Equal(t, c.after, l.After, c.in)
		assert.Equal(t, c.in == "", l.IsZero(), c.in)
	}
	_, err := New(Config{Latency: Latency{Before: -time.Millisecond}})
	require.ErrorContains(t, err, "a delay must be between 0 and 10s")
}
