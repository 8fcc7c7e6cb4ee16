package emulator

import (
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
)

// A connection a client dialled and never sent a request on (an HTTP
// client's spare from a burst, kept in its idle pool) does not hold Close
// up: it is closed at once, where http.Server's Shutdown waits until it is
// 5 s old. The bound is generous (the close takes milliseconds) and below
// those 5 s.
func TestCloseDoesNotWaitForAConnectionNeverUsed(t *testing.T) {
	t.Parallel()
	v, err := newVault(Config{}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	s, err := Start(v, "")
	require.NoError(t, err)
	c, err := tls.Dial("tcp", strings.TrimPrefix(s.URL, "https://"), &tls.Config{RootCAs: s.CertPool(), MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	defer c.Close()
	start := time.Now()
	require.NoError(t, s.Close())
	assert.Less(t, time.Since(start), 4*time.Second, "Close waited for a connection no request had used")
	_, err = c.Read(make([]byte, 1))
	assert.Error(t, err, "the unused connection was closed")
}

// blockingObserver holds each request in its handler (the Observer is told
// before the handler returns, so the answer is not finished) until release
// is closed, and says on entered when one is held.
type blockingObserver struct {
	entered chan struct{}
	release chan struct{}
}

func (o blockingObserver) ObserveRequest(string, limits.Class, int) {
	o.entered <- struct{}{}
	<-o.release
}

// A request in flight when Close is called (in its handler, the answer not
// finished) is answered in full, and Close returns only after it: closing
// the unused connections leaves active ones alone.
func TestCloseLetsARequestInFlightFinish(t *testing.T) {
	t.Parallel()
	obs := blockingObserver{entered: make(chan struct{}, 1), release: make(chan struct{})}
	e := newEnv(t, Config{Observer: obs})
	s, err := Start(e.v, "")
	require.NoError(t, err)
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: s.CertPool(), MinVersion: tls.VersionTLS12}}}
	defer client.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodPut, s.URL+"/secrets/inflight?api-version=7.6", strings.NewReader(`{"value":"v"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	type answer struct {
		resp *http.Response
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := client.Do(req)
		answered <- answer{resp, err}
	}()
	<-obs.entered
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	<-s.swept // Shutdown has begun and the unused connections are closed
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) with a request in flight", err)
	default:
	}
	close(obs.release)
	a := <-answered
	require.NoError(t, a.err, "the request in flight was answered")
	defer a.resp.Body.Close()
	assert.Equal(t, http.StatusOK, a.resp.StatusCode)
	require.NoError(t, <-closed)
}
