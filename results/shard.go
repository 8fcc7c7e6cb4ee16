package results

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Shard is run.json's record of one shard of a run spread over several
// processes or machines (kvquota run --shard i/N). Its Stages are the whole
// run's, as all the shards together offered them; the shard sent every
// Count-th request of that schedule (attack.Pacer.Shard).
type Shard struct {
	// Index is 1-based, at most Count.
	Index int `json:"index"`
	Count int `json:"count"`
	// Host is the machine's name as it gives it (os.Hostname), and
	// SourceAddr the local address the attack left from, if one was chosen.
	Host       string `json:"host"`
	SourceAddr string `json:"source_addr,omitempty"`
	// Clock is the moment the shard's attack began as its own machine's
	// clock read it. Every result's time is on that clock too: a merged
	// report sets the shards' clocks side by side (ShardReport.ClockOffset),
	// which shows start skew and clock skew together; nothing on one machine
	// can tell the two apart.
	Clock time.Time `json:"clock"`
	// SetupEnd is when the shard's setup got its last answer, on the same
	// clock. A setup that ends after another shard's attack has begun sent
	// requests the vault counted in the run's windows, and no result holds
	// them (ShardReport.SetupOverrun).
	SetupEnd time.Time `json:"setup_end,omitzero"`
}

// ShardReport names one shard in a merged report.
type ShardReport struct {
	Index      int       `json:"index"`
	Count      int       `json:"count"`
	Host       string    `json:"host"`
	SourceAddr string    `json:"source_addr,omitempty"`
	Dir        string    `json:"dir"`
	Clock      time.Time `json:"clock"`
	// ClockOffset is how long after the earliest shard's start this one's
	// began, each on its own clock.
	ClockOffset Duration `json:"clock_offset"`
	// Results is how many results its directory held.
	Results int `json:"results"`
	// SetupOverrun is how long after the earliest shard's attack began this
	// one's setup ended; zero when it ended before. The setup's requests
	// then used quota in windows the verdicts judge, but are not among the
	// results (SetupOverruns).
	SetupOverrun Duration `json:"setup_overrun,omitempty"`
}

// SetupOverruns says which shards' setups ran into the run's attack, for a
// verdict that cannot be judged because of them; "" when none did.
func SetupOverruns(shards []ShardReport) string {
	var parts []string
	for _, s := range shards {
		if s.SetupOverrun > 0 {
			parts = append(parts, fmt.Sprintf("shard %d/%d's setup ended %s after the attack began", s.Index, s.Count, time.Duration(s.SetupOverrun).Round(time.Millisecond)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + ": its setup requests used quota in the windows judged here, and no result holds them, so no window figure can be trusted; give the shards more time before --start-at (at least the setup's time on a busy machine) and run again"
}

// writeShardsText names each shard of a merged run, for a person.
func writeShardsText(w io.Writer, shards []ShardReport) {
	for _, s := range shards {
		fmt.Fprintf(w, "shard %d/%d: %s, %d results, started %s (clock offset +%s from the earliest shard)%s\n",
			s.Index, s.Count, shardWhere(s), s.Results, s.Clock.Format(time.RFC3339Nano), time.Duration(s.ClockOffset).Round(time.Microsecond), overrunNote(s))
	}
}

// overrunNote says that a shard's setup ran into the attack, or nothing.
func overrunNote(s ShardReport) string {
	if s.SetupOverrun <= 0 {
		return ""
	}
	return fmt.Sprintf("; its setup ended %s into the attack", time.Duration(s.SetupOverrun).Round(time.Millisecond))
}

// shardsSummary is the Markdown table of a merged run's shards.
func shardsSummary(w io.Writer, shards []ShardReport) {
	if len(shards) == 0 {
		return
	}
	fmt.Fprintf(w, "Judged as one run from %d shards:\n\n", len(shards))
	fmt.Fprint(w, "| shard | host | source | directory | results | started | clock offset |\n")
	fmt.Fprint(w, "| ---: | --- | --- | --- | ---: | --- | ---: |\n")
	for _, s := range shards {
		src := s.SourceAddr
		if src == "" {
			src = "–"
		}
		fmt.Fprintf(w, "| %d/%d | %s | %s | `%s` | %d | %s | +%s%s |\n", s.Index, s.Count, mdCell(s.Host), mdCell(src),
			mdCell(s.Dir), s.Results, s.Clock.Format(time.RFC3339Nano), time.Duration(s.ClockOffset).Round(time.Microsecond), overrunNote(s))
	}
	fmt.Fprintln(w)
}

// shardWhere is "host host (from 127.0.0.2), dir DIR".
func shardWhere(s ShardReport) string {
	out := "host " + s.Host
	if s.SourceAddr != "" {
		out += " (from " + s.SourceAddr + ")"
	}
	return out + ", directory " + s.Dir
}
