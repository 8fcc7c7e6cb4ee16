package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/clock"
)

// start is the fake clocks' starting time in these tests.
var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	keysOnce sync.Once
	keys     [2]*rsa.PrivateKey
)

// testKey returns one of two RSA keys shared by the package's tests, so that
// each test does not pay for generating its own.
func testKey(t *testing.T, n int) *rsa.PrivateKey {
	t.Helper()
	keysOnce.Do(func() {
		for i := range keys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keys[i] = k
		}
	})
	return keys[n]
}

func newTestIssuer(t *testing.T) (*Issuer, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(start)
	iss, err := NewIssuer(DefaultTenant, []Identity{DefaultIdentity()}, clk, WithKey(testKey(t, 0)))
	require.NoError(t, err)
	return iss, clk
}
