package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// DecisionsFile is the embedded emulator's own record of its quota
// decisions, one JSON object a line: what the target knows exactly and the
// client can only bound. `kvquota report` checks the client's bands against
// it (assert.SelfCheck).
const DecisionsFile = "decisions.jsonl"

// Decision is one quota decision of the emulator: when, on what, and the
// status sent. It holds no token, no query and no body.
type Decision struct {
	At     time.Time    `json:"at"`
	Method string       `json:"method"`
	Path   string       `json:"path"`
	Vault  string       `json:"vault,omitempty"`
	Class  limits.Class `json:"class"`
	Status int          `json:"status"`
}

// WriteDecisions writes ds into dir's DecisionsFile, atomically.
func WriteDecisions(dir string, ds []Decision) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range ds {
		if err := enc.Encode(&ds[i]); err != nil {
			return err
		}
	}
	return writeAtomic(filepath.Join(dir, DecisionsFile), b.Bytes())
}

// ReadDecisions reads dir's DecisionsFile; an error satisfying
// errors.Is(err, os.ErrNotExist) when the run has none (a real target).
func ReadDecisions(dir string) ([]Decision, error) {
	f, err := os.Open(filepath.Join(dir, DecisionsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ds []Decision
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var d Decision
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", filepath.Join(dir, DecisionsFile), line, err)
		}
		ds = append(ds, d)
	}
	return ds, sc.Err()
}

// SelfCheck is how the client's bands held against the target's own record
// (assert.CheckSelf): report.json's self_check. Outside is never empty
// unless kvquota itself is wrong.
type SelfCheck struct {
	// Checked counts the figures compared.
	Checked int `json:"checked"`
	// Outside describes each figure that fell outside its band.
	Outside []string `json:"outside,omitempty"`
}
