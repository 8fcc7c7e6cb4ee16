package results_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/results"
)

// A success is stored without its body (a secret value) and headers; an
// error keeps its body and the headers that say something about it, because
// the shape checks judge both.
func TestWriterKeepsErrorsWholeAndSuccessesBare(t *testing.T) {
	dir := t.TempDir()
	w, err := results.Create(dir)
	require.NoError(t, err)
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Ms-Request-Id": {"id"},
		"Cache-Control": {"no-cache"}, "Date": {"Mon, 23 Nov 2026 02:50:12 GMT"}, "Retry-After": {"2"}}
	at := time.Unix(1763860000, 0)
	require.NoError(t, w.Write(&vegeta.Result{Timestamp: at, Code: 200, Method: "GET", URL: "https://127.0.0.1/secrets/a",
		Body: []byte(`{"value":"s3cret"}`), Headers: h.Clone()}))
	require.NoError(t, w.Write(&vegeta.Result{Timestamp: at, Code: 429, Method: "GET", URL: "https://127.0.0.1/secrets/a",
		Body: []byte(`{"error":{"code":"Throttled"}}`), Headers: h.Clone(), Error: "429 Too Many Requests"}))
	require.NoError(t, w.Close())

	s, err := results.OpenStream(dir)
	require.NoError(t, err)
	var got []vegeta.Result
	for r := range s.All() {
		got = append(got, *r)
	}
	require.NoError(t, s.Err())
	require.Len(t, got, 2)
	assert.Empty(t, got[0].Body)
	assert.Empty(t, got[0].Headers)
	assert.Equal(t, uint16(200), got[0].Code)
	assert.JSONEq(t, `{"error":{"code":"Throttled"}}`, string(got[1].Body))
	assert.Equal(t, http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Ms-Request-Id": {"id"}, "Retry-After": {"2"}},
		got[1].Headers, "an error keeps every header that says something about the request, and no boilerplate")
}
