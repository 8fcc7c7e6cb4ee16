package sdktest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

// TestSDKRetriesThrottledRequest fills the vault's window, then lets the SDK
// meet a 429 with the emulator's optional Retry-After. azcore's retry policy
// waits what Retry-After says (one second here, real time) and tries again;
// the vault's clock is fake, and moves on by that second when the 429 has been
// answered, so the retry finds room in the window without the test waiting
// ten seconds.
func TestSDKRetriesThrottledRequest(t *testing.T) {
	p, err := limits.Get(limits.DefaultProfile)
	require.NoError(t, err)
	p, err = p.WithOverrides(map[limits.Class]int{limits.Secrets: 3, limits.SecretsCreate: 3})
	require.NoError(t, err)
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := clock.NewFake(start)
	e := newEnv(t, emulator.Config{Profile: p, Clock: clk, RetryAfter: true})

	// Set a secret (one write) and read it twice (two reads): the window is full.
	ctx := context.Background()
	plain := e.secrets()
	_, err = plain.SetSecret(ctx, "busy", azsecrets.SetSecretParameters{Value: to.Ptr("x")}, nil)
	require.NoError(t, err)
	for range 2 {
		_, err = plain.GetSecret(ctx, "busy", "", nil)
		require.NoError(t, err)
	}
	// Nine and a half seconds on, the window still holds them all: the next
	// read is throttled with Retry-After rounded up to 1 s.
	clk.Advance(9500 * time.Millisecond)
	rec := &recorder{after: func(r *http.Response) {
		if r.StatusCode == http.StatusTooManyRequests {
			clk.Advance(time.Second)
		}
	}}
	c := e.secrets(rec)
	begun := time.Now()
	got, err := c.GetSecret(ctx, "busy", "", nil)
	require.NoError(t, err, "statuses seen: %v", rec.statuses())
	assert.Equal(t, "x", *got.Value)

	var throttled []seen
	for _, s := range rec.seen {
		if s.status == http.StatusTooManyRequests {
			throttled = append(throttled, s)
		}
	}
	require.Len(t, throttled, 1, "statuses seen: %v", rec.statuses())
	assert.Equal(t, "1", throttled[0].header.Get("Retry-After"))
	assert.Equal(t, http.StatusOK, rec.seen[len(rec.seen)-1].status)
	// The SDK honoured Retry-After rather than its own shorter first delay
	// (0.64-1.04 s), give or take scheduling.
	assert.GreaterOrEqual(t, time.Since(begun), 950*time.Millisecond)
}
