package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Stream reads results.bin one result at a time, so a million results cost the
// memory of one. Iterating again reads the file again.
type Stream struct {
	path      string
	err       error
	truncated bool
	n         int
}

// OpenStream returns a stream over the results file of run directory dir.
func OpenStream(dir string) (*Stream, error) {
	path := filepath.Join(dir, ResultsFile)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s: no results: %w", dir, err)
	}
	return &Stream{path: path}, nil
}

// All yields every stored result. The yielded value is reused between
// iterations: copy what you keep. A last result cut off mid-write (the process
// was killed) ends the stream without an error; Truncated reports it.
func (s *Stream) All() iter.Seq[*vegeta.Result] {
	return func(yield func(*vegeta.Result) bool) {
		s.err, s.truncated, s.n = nil, false, 0
		f, err := os.Open(s.path)
		if err != nil {
			s.err = err
			return
		}
		defer f.Close()
		dec := vegeta.NewDecoder(bufio.NewReaderSize(f, 1<<16))
		var r vegeta.Result
		for {
			r = vegeta.Result{}
			err := dec.Decode(&r)
			if errors.Is(err, io.EOF) {
				return
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				s.truncated = true
				return
			}
			if err != nil {
				s.err = fmt.Errorf("%s: result %d: %w", s.path, s.n+1, err)
				return
			}
			s.n++
			if !yield(&r) {
				return
			}
		}
	}
}

// Truncated reports whether the last iteration found a result cut off
// mid-write: the process writing the run was killed.
func (s *Stream) Truncated() bool { return s.truncated }

// Err returns the error that ended the last iteration early, if any.
func (s *Stream) Err() error { return s.err }
