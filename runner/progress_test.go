package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func feed(p *progress, codes ...uint16) {
	for _, c := range codes {
		p.observe(&vegeta.Result{Code: c})
	}
}

func TestProgressPlainLines(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 0, 50*time.Second)
	require.False(t, p.tty, "a buffer is not a terminal")
	require.Equal(t, plainEvery, p.every)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.begin, p.lastAt = t0, t0
	feed(p, 200, 200, 429, 503, 0)
	p.print(t0.Add(2 * time.Second))
	feed(p, 200)
	p.print(t0.Add(3 * time.Second))
	require.Equal(t,
		"      2s elapsed,    48s left      2.5 req/s sent  ok 2  429 1  other 2\n"+
			"      3s elapsed,    47s left      1.0 req/s sent  ok 3  429 1  other 2\n", b.String())
	p.print(t0.Add(60 * time.Second))
	require.Contains(t, b.String(), "1m0s elapsed,     0s left", "never a negative remainder")
}

func TestProgressRedrawsOneLineOnATerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 0, 10*time.Second)
	p.tty = true
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.begin, p.lastAt = t0, t0
	feed(p, 200)
	p.print(t0.Add(250 * time.Millisecond))
	p.print(t0.Add(500 * time.Millisecond))
	out := b.String()
	require.NotContains(t, out, "\n", "redrawn in place")
	require.Equal(t, 2, bytes.Count(b.Bytes(), []byte("\r")))
	require.Contains(t, out, "\r   300ms elapsed,   9.8s left      4.0 req/s sent  ok 1  429 0  other 0\x1b[K")
	p.start(t0) // stop waits for the ticker goroutine, which start made
	p.stop()
	require.True(t, bytes.HasSuffix(b.Bytes(), []byte("\x1b[K\n")), "stop ends the line: %q", b.String())
}

func TestIsTerminal(t *testing.T) {
	require.False(t, isTerminal(&bytes.Buffer{}))
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	require.NoError(t, err)
	defer f.Close()
	require.False(t, isTerminal(f), "a regular file")
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		// /dev/null is a character device: the Stat check's one false
		// positive, harmless since nothing reads what is written there.
		require.True(t, isTerminal(null))
	}
}
