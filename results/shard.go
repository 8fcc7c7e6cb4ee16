package results

import (
	"fmt"
	"io"
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
}

// writeShardsText names each shard of a merged run, for a person.
func writeShardsText(w io.Writer, shards []ShardReport) {
	for _, s := range shards {
		fmt.Fprintf(w, "shard %d/%d: %s, %d results, started %s (clock offset +%s from the earliest shard)\n",
			s.Index, s.Count, shardWhere(s), s.Results, s.Clock.Format(time.RFC3339Nano), time.Duration(s.ClockOffset).Round(time.Microsecond))
	}
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
		fmt.Fprintf(w, "| %d/%d | %s | %s | `%s` | %d | %s | +%s |\n", s.Index, s.Count, mdCell(s.Host), mdCell(src),
			mdCell(s.Dir), s.Results, s.Clock.Format(time.RFC3339Nano), time.Duration(s.ClockOffset).Round(time.Microsecond))
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
