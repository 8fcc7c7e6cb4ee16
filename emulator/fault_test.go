package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/kverror"
)

// faultEnv is a vault with secret limits gets and sets per 10 s, the faults
// given, and a secret s1 to read (made before the quota is emptied).
func faultEnv(t *testing.T, gets, sets int, fs ...Fault) *env {
	t.Helper()
	e := newEnv(t, Config{Profile: limited(t, gets, sets), Faults: fs})
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/s1", map[string]string{"value": "v"}).Code)
	e.v.ResetQuota()
	return e
}

// admitted sends n requests at the current instant and counts the 200s.
func (e *env) admitted(n int, method, path string, body any) int {
	e.t.Helper()
	ok := 0
	for range n {
		switch w := e.call(method, path, body); w.Code {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
		default:
			e.t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
		}
	}
	return ok
}

func (e *env) gets(n int) int { return e.admitted(n, http.MethodGet, "/secrets/s1", nil) }

func (e *env) sets(n int) int {
	return e.admitted(n, http.MethodPut, "/secrets/s2", map[string]string{"value": "v"})
}

func TestParseFaultsNamesWhatIsWrong(t *testing.T) {
	fs, err := ParseFaults([]string{"Per-Client", " unweighted", "per-client"})
	require.NoError(t, err)
	assert.Equal(t, []Fault{FaultPerClient, FaultUnweighted}, fs, "repeats kept once")

	_, err = ParseFaults([]string{"count-refused", "per-vault"})
	require.ErrorContains(t, err, `fault "per-vault": want one of count-refused, unweighted`)
	_, err = ParseFaults([]string{"no-challenge"})
	require.ErrorContains(t, err, "use --lax no-challenge")
	_, err = ParseFaults([]string{"window-long", "window-short"})
	require.ErrorContains(t, err, "cannot both be set")
	_, err = New(Config{Faults: []Fault{"nonsense"}})
	require.ErrorContains(t, err, `fault "nonsense"`)
}

func TestCountRefusedKeepsAnOverloadedVaultShut(t *testing.T) {
	for _, tc := range []struct {
		faults []Fault
		want   int
	}{{nil, 5}, {[]Fault{FaultCountRefused}, 4}} {
		e := faultEnv(t, 5, 5, tc.faults...)
		require.Equal(t, 5, e.gets(5))
		e.clk.Advance(5 * time.Second)
		require.Zero(t, e.gets(1), "the window is full")
		// At t0+10s the five admitted leave; the refused one, if counted,
		// stays until t0+15s.
		e.clk.Advance(5 * time.Second)
		assert.Equal(t, tc.want, e.gets(10), "faults %v", tc.faults)
	}
}

func TestUnweightedGivesEachClassAWholeWindow(t *testing.T) {
	for _, tc := range []struct {
		faults []Fault
		want   int
	}{{nil, 10}, {[]Fault{FaultUnweighted}, 20}} {
		e := faultEnv(t, 10, 10, tc.faults...)
		got := e.gets(10) + e.sets(10)
		assert.Equal(t, tc.want, got, "10 gets at 1/10 each fill the window alone; faults %v", tc.faults)
		assert.Equal(t, tc.want, usageTotal(e), "Usage sums every class's bucket")
	}
}

func TestNoSecretSetRowCountsSetsAsOtherSecrets(t *testing.T) {
	e := faultEnv(t, 10, 5)
	assert.Equal(t, 5, e.sets(10), "the secret-set row holds 5")

	e = faultEnv(t, 10, 5, FaultNoSecretSetRow)
	assert.Equal(t, 10, e.sets(10), "sets take the 'all other' row's 10")
	assert.Zero(t, e.gets(1), "and use the same count as gets")
}

func TestPerClientGivesEveryIdentityItsOwnVault(t *testing.T) {
	second := auth.Identity{ClientID: "c2", ClientSecret: "s2", ObjectID: "o2"}
	for _, tc := range []struct {
		faults []Fault
		want   int
	}{{nil, 10}, {[]Fault{FaultPerClient}, 20}} {
		e := newEnv(t, Config{Profile: limited(t, 10, 10), Faults: tc.faults,
			Identities: []auth.Identity{auth.DefaultIdentity(), second}})
		require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/s1", map[string]string{"value": "v"}).Code)
		e.v.ResetQuota()
		got := e.gets(10)
		tok, err := e.v.Issuer().Issue("c2")
		require.NoError(t, err)
		e.token = tok.AccessToken
		got += e.gets(10)
		assert.Equal(t, tc.want, got, "two clients of one vault, 10 each against 10; faults %v", tc.faults)
	}
}

func TestWindowFaultsMoveWhenRoomComesBack(t *testing.T) {
	for _, tc := range []struct {
		faults      []Fault
		at95, at105 int // admitted of 5 at t0+9.5s, then at t0+10.5s
	}{
		{nil, 0, 5},
		{[]Fault{FaultWindowShort}, 5, 0}, // a 9 s window: room at t0+9s
		{[]Fault{FaultWindowLong}, 0, 0},  // an 11 s window: room at t0+11s
	} {
		e := faultEnv(t, 5, 5, tc.faults...)
		require.Equal(t, 5, e.gets(5))
		e.clk.Advance(9500 * time.Millisecond)
		assert.Equal(t, tc.at95, e.gets(5), "t0+9.5s, faults %v", tc.faults)
		e.clk.Advance(time.Second)
		assert.Equal(t, tc.at105, e.gets(5), "t0+10.5s, faults %v", tc.faults)
	}
}

func TestBad429FaultsBreakOnlyTheThrottledAnswer(t *testing.T) {
	for _, tc := range []struct {
		fault    Fault
		ct       string
		keyVault bool
	}{
		{"", kverror.ContentType, true},
		{FaultBad429Body, kverror.ContentType, false},
		{FaultBad429ContentType, "text/plain; charset=utf-8", true},
	} {
		var fs []Fault
		if tc.fault != "" {
			fs = []Fault{tc.fault}
		}
		e := faultEnv(t, 1, 1, fs...)
		ok := e.call(http.MethodGet, "/secrets/s1", nil)
		require.Equal(t, http.StatusOK, ok.Code)
		assert.Equal(t, kverror.ContentType, ok.Header().Get("Content-Type"), "successes keep their shape")
		w := e.call(http.MethodGet, "/secrets/s1", nil)
		require.Equal(t, http.StatusTooManyRequests, w.Code)
		assert.Equal(t, tc.ct, w.Header().Get("Content-Type"), tc.fault)
		requireCommonHeaders(t, w)
		var b kverror.Body
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &b), "still JSON: %s", tc.fault)
		if tc.keyVault {
			require.NotNil(t, b.Error, tc.fault)
			assert.Equal(t, "Throttled", b.Error.Code)
		} else {
			assert.Nil(t, b.Error, "no error member: %s", w.Body.String())
		}
		// Other errors keep Key Vault's shape whatever the fault.
		nf := e.call(http.MethodGet, "/nope", nil)
		assert.Equal(t, kverror.ContentType, nf.Header().Get("Content-Type"))
	}
}
