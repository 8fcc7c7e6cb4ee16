package clientcheck

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/results"
)

// Files written beside the report formats, as evidence.
const (
	// ClientsFile holds Findings: every client's figures and every retry.
	ClientsFile = "clients.json"
	// RequestsFile holds every request recorded, one JSON object a line
	// (no tokens, query strings or bodies).
	RequestsFile = "requests.jsonl"
)

// write puts the check's reports into dir: report.json, junit.xml and
// summary.md as a run's, and the evidence files.
func write(dir string, out *Outcome, reqs []emulator.RequestInfo) error {
	if err := results.WriteReport(dir, out.Report); err != nil {
		return err
	}
	if err := results.WriteJUnit(dir, out.Report); err != nil {
		return err
	}
	if err := results.WriteSummary(dir, out.Report); err != nil {
		return err
	}
	b, err := json.MarshalIndent(struct {
		Findings
		Dropped int `json:"dropped"`
	}{out.Findings, out.Dropped}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ClientsFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, RequestsFile))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i := range reqs {
		if err := enc.Encode(&reqs[i]); err != nil {
			_ = f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
