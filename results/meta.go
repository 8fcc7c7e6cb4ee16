package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// Meta is run.json: enough to re-judge a stored run without the scenario file
// or the target.
type Meta struct {
	Scenario    string `json:"scenario"`
	Source      string `json:"source"`
	Description string `json:"description,omitempty"`
	// Target is the vault URL attacked; Emulated says it was the embedded emulator.
	Target   string `json:"target"`
	Emulated bool   `json:"emulated"`
	// Profile is the limits profile the run is judged against, and Overrides the
	// scenario's own changes to it (a vault whose limits were raised).
	Profile   string               `json:"profile"`
	Overrides map[limits.Class]int `json:"overrides,omitempty"`
	// TargetLimits are overrides the emulator was started with (--limit): a
	// deliberately non-stock target. They are not part of the judgement.
	TargetLimits map[limits.Class]int `json:"target_limits,omitempty"`
	// Faults, Lax and Latency are how the embedded emulator was made
	// deliberately wrong or slow (--fault, --lax, --latency BEFORE,AFTER
	// with LatencySeed): not part of the judgement either.
	Faults       []string                `json:"faults,omitempty"`
	Lax          string                  `json:"lax,omitempty"`
	Latency      string                  `json:"latency,omitempty"`
	LatencySeed  uint64                  `json:"latency_seed,omitempty"`
	Window       limits.WindowModel      `json:"window"`
	WindowLength Duration                `json:"window_length"`
	Seed         int64                   `json:"seed"`
	Stages       []scenarios.Span        `json:"stages"`
	Expect       []scenarios.Expectation `json:"expect"`
	// Start is when the attack (not the setup) began; stage offsets count from it.
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"`
	// Interrupted is set when the run was cut short (Ctrl-C, the target died).
	Interrupted bool     `json:"interrupted,omitempty"`
	Versions    Versions `json:"versions"`
	// Keys maps the name of every key the scenario creates to its row of the
	// limits tables, so that key requests are classified without the target.
	Keys map[string]limits.KeySpec `json:"keys,omitempty"`
	// Vaults is how many vaults of the embedded emulator the mix spread over
	// (omitted for one).
	Vaults int `json:"vaults,omitempty"`
	// Scaling is set for a time-scaled run: the window and the stages were
	// shrunk by its TimeScale, and each limit scaled as limits.Scaling says;
	// ScaledLimits are the limits per scaled window the run was judged by.
	Scaling      *limits.Scaling      `json:"scaling,omitempty"`
	ScaledLimits map[limits.Class]int `json:"scaled_limits,omitempty"`
	// Shard is set for one shard of a run spread over several processes or
	// machines (kvquota run --shard): judge it with the other shards'
	// directories (MergeMeta).
	Shard *Shard `json:"shard,omitempty"`
}

// Versions records what produced the run.
type Versions struct {
	Kvquota string `json:"kvquota"`
	Go      string `json:"go"`
	Vegeta  string `json:"vegeta"`
}

// Duration marshals as a Go duration string ("10s") for people reading run.json.
type Duration time.Duration

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// WriteMeta writes run.json into dir atomically.
func WriteMeta(dir string, m *Meta) error {
	return writeJSON(filepath.Join(dir, MetaFile), m)
}

// ReadMeta reads run.json from dir.
func ReadMeta(dir string) (*Meta, error) {
	b, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if err != nil {
		return nil, fmt.Errorf("%s is not a kvquota run directory: %w", dir, err)
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, MetaFile), err)
	}
	return &m, nil
}

// writeJSON writes v indented to path through a temporary file and a rename, so
// a reader never sees half a file.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(b, '\n'))
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	// CreateTemp makes the file 0600; reports are for sharing (CI artifacts),
	// like results.bin beside them.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
