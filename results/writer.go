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

// Write stores one result. Bodies of successful responses are dropped first: they
// carry secret values, which have no place in a results file, and no check reads
// them. Error bodies are kept, since the shape checks judge them.
func (w *Writer) Write(r *vegeta.Result) error {
	if r.Code >= 200 && r.Code < 300 {
		r.Body = nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.enc.Encode(r); err != nil {
		return fmt.Errorf("results: writing result %d: %w", w.n+1, err)
	}
	w.n++
	return nil
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
