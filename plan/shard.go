package plan

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Shard is one part of a run spread over several processes or machines
// (`kvquota run --shard i/N`), as k6 spreads an arrival rate over execution
// segments: shard Index of Count sends every Count-th request of the whole
// schedule, starting with request Index-1, so the shards' shares add up to
// exactly the whole rate and their requests interleave in time instead of
// firing together. The shards' run directories are judged together with
// `kvquota report DIR1 DIR2 ...`.
type Shard struct {
	// Index is 1-based: 1 <= Index <= Count.
	Index, Count int
}

// ParseShard reads "i/N".
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("--shard %q: want i/N, e.g. 2/4 for the second of four shards", s)
	case cnt < 1:
		return Shard{}, fmt.Errorf("--shard %q: the number of shards must be at least 1", s)
	case idx < 1 || idx > cnt:
		return Shard{}, fmt.Errorf("--shard %q: the shard index is 1-based and at most the number of shards (1 <= i <= %d)", s, cnt)
	}
	return Shard{Index: idx, Count: cnt}, nil
}

// String is "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// resolveShard reads --shard, --start-at and --source-addr. A shard of a run whose
// scenario fixes its own source addresses (auth-conformance's firewall cases)
// is refused a source address: the cases choose theirs.
func (p *Plan) resolveShard(r Request) error {
	if r.Shard != "" {
		if p.Command != Run {
			return usagef("--shard is for run with one scenario: a suite or %s is not split", p.Command)
		}
		s, err := ParseShard(r.Shard)
		if err != nil {
			return usage(err)
		}
		p.Shard = &s
	}
	if r.StartAt != "" {
		if p.Command != Run {
			return usagef("--start-at is for run with one scenario")
		}
		t, err := time.Parse(time.RFC3339Nano, r.StartAt)
		if err != nil {
			return usagef("--start-at %q: want an RFC 3339 time such as 2026-12-02T10:15:00Z", r.StartAt)
		}
		p.StartAt = t
	}
	if r.SourceAddr == "" {
		return nil
	}
	if p.Command != Run {
		return usagef("--source-addr is for run with one scenario")
	}
	ip := net.ParseIP(r.SourceAddr)
	if ip == nil {
		return usagef("--source-addr %q is not an IP address of this machine, e.g. 127.0.0.2", r.SourceAddr)
	}
	if p.Scenarios[0].IsAuthProbe() {
		return usagef("--source-addr: scenario %s chooses the source address of each of its cases", p.Scenarios[0].Name)
	}
	p.SourceAddr = ip
	return nil
}

// loopbackTarget reports whether raw names a host on this machine by a
// loopback address or "localhost": a `kvquota emulate`, never a real vault
// (drop-in mode's real host names are not loopback by name).
func loopbackTarget(u *url.URL) bool {
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// emulateFor makes an Emulate plan serve what a run of the scenario r names
// expects of the embedded emulator: the scenario's profile (or --profile),
// its own limit overrides with --limit over them, its window model (or
// --window) and, time-scaled, the scenario's own scaling. The shards of one
// time-scaled run (kvquota run --shard i/N --time-scale S --target ...)
// attack such a `kvquota emulate --scenario NAME --time-scale S`: the
// emulator cannot be asked its scaling, and a scenario's scaling is the
// scenario's own.
func (p *Plan) emulateFor(r Request) error {
	s, err := loadScenario(r)
	if err != nil {
		return err
	}
	if r.Profile != "" {
		s.Profile = p.Profile.Name
	} else if p.Profile, err = limits.Get(s.Profile); err != nil {
		return usage(err)
	}
	if r.Window != "" {
		s.Window = p.Window
	}
	sr, err := p.Scenario(s)
	if err != nil {
		return err
	}
	p.Window, p.emulated = limits.Counting(s.Window), sr.Emulated
	return nil
}
