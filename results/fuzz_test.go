package results

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// validResults writes n results the way a run does and returns the bytes of
// results.bin.
func validResults(tb testing.TB, n int) []byte {
	tb.Helper()
	dir := tb.TempDir()
	w, err := Create(dir)
	if err != nil {
		tb.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range n {
		code := uint16(http.StatusOK)
		var body []byte
		if i%3 == 2 {
			code, body = http.StatusTooManyRequests, []byte(`{"error":{"code":"Throttled","message":"m"}}`)
		}
		r := &vegeta.Result{Attack: "a", Seq: uint64(i), Code: code, Timestamp: t0.Add(time.Duration(i) * time.Millisecond),
			Latency: time.Millisecond, Method: "GET", URL: "https://127.0.0.1/secrets/s", Body: body,
			Headers: http.Header{"X-Ms-Request-Id": {"id"}}}
		if i == n-1 {
			r.Code, r.Error = 0, "connection refused"
		}
		if err := w.Write(r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// readAll streams data as results.bin and returns what a reader sees.
func readAll(t *testing.T, data []byte) (n int, s *Stream) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ResultsFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(dir)
	if err != nil {
		t.Fatal(err)
	}
	for range s.All() {
		n++
	}
	if s.Count() != n {
		t.Fatalf("Count %d, yielded %d", s.Count(), n)
	}
	return n, s
}

// FuzzStream reads arbitrary bytes as results.bin: never a panic, Count
// agrees with what was yielded, and reading twice sees the same.
func FuzzStream(f *testing.F) {
	good := validResults(f, 5)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:1])
	f.Add([]byte{})
	f.Add([]byte("not gob at all"))
	f.Add(append(append([]byte{}, good...), 0xff, 0x00, 0x01))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, s := readAll(t, data)
		err, trunc := s.Err(), s.Truncated()
		if err != nil && trunc {
			t.Fatalf("both an error and truncated: %v", err)
		}
		n2 := 0
		for range s.All() {
			n2++
		}
		if n2 != n || (s.Err() == nil) != (err == nil) || s.Truncated() != trunc {
			t.Fatalf("a second read differs: %d/%v/%v then %d/%v/%v", n, err, trunc, n2, s.Err(), s.Truncated())
		}
	})
}

// FuzzStreamTruncated cuts a valid results.bin anywhere, as a killed run
// leaves it: the reader must keep every whole result before the cut and
// report truncation, never an error.
func FuzzStreamTruncated(f *testing.F) {
	const total = 6
	good := validResults(f, total)
	for _, cut := range []uint{0, 1, 2, 10, 50, uint(len(good) / 2), uint(len(good) - 1), uint(len(good))} {
		f.Add(cut)
	}
	f.Fuzz(func(t *testing.T, cut uint) {
		cut %= uint(len(good)) + 1
		n, s := readAll(t, good[:cut])
		if s.Err() != nil {
			t.Fatalf("cut at %d of %d: an error, not truncation: %v", cut, len(good), s.Err())
		}
		if n > total || (cut == uint(len(good)) && (n != total || s.Truncated())) {
			t.Fatalf("cut at %d of %d: %d results, truncated %v", cut, len(good), n, s.Truncated())
		}
		if cut < uint(len(good)) && n == total {
			t.Fatalf("cut at %d of %d: all %d results from a cut file", cut, len(good), n)
		}
	})
}
