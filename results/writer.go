package results

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Writer streams results to results.bin as they arrive. Each result is one gob
// message and one write to the file, so a run stopped at any moment keeps every
// result it had received, and a crash loses at most the one being written.
type Writer struct {
	mu  sync.Mutex
	f   *os.File
	enc vegeta.Encoder
	n   int
}

// Create opens results.bin in dir (creating dir) for writing.
func Create(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, ResultsFile), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("results: %w (a run directory is written once; choose another --out)", err)
	}
	return &Writer{f: f, enc: vegeta.NewEncoder(f)}, nil
}

// Write stores one result, with only what a check or a person can use:
//
//   - a success loses its body (a secret value has no place in a results file)
//     and its headers, which no check reads;
//   - an error keeps its body and every header that says something about the
//     request (Content-Type, WWW-Authenticate, Retry-After, the x-ms- request
//     ids, region and network info, and any a proxy adds), and loses the
//     boilerplate every Key Vault answer carries (boilerplate below).
//
// The emulator, like Key Vault, sends a dozen headers on every answer: kept
// whole, they were two thirds of results.bin and of the time it takes to read
// a million results back.
func (w *Writer) Write(r *vegeta.Result) error {
	if r.Code >= 200 && r.Code < 300 {
		r.Body = nil
		r.Headers = nil
	}
	for _, h := range boilerplate {
		delete(r.Headers, h)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.enc.Encode(r); err != nil {
		return fmt.Errorf("results: writing result %d: %w", w.n+1, err)
	}
	w.n++
	return nil
}

// boilerplate are the headers of every answer that say nothing about the
// request: caching and transport-security policy, and what the result holds
// already (Date is its timestamp, Content-Length its BytesIn). Canonical form,
// as vegeta stores header names.
var boilerplate = []string{
	"Cache-Control", "Pragma", "Expires", "Strict-Transport-Security",
	"X-Content-Type-Options", "Date", "Content-Length",
}

// Count returns how many results were written.
func (w *Writer) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// Close flushes the file to disk and closes it.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}
