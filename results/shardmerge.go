package results

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// MergeMeta checks that the runs in dirs (with their run.json, metas, in the
// same order) are the shards of one run, every one of them and each once,
// and returns the meta of that run as a whole: the shards' common scenario,
// target, profile, window, stages and checks, starting at the earliest
// shard's start and ending at the latest's end, cut short if any shard was;
// and each shard as a merged report names it (results counted later, by
// whoever reads the results). Runs of different scenarios, profiles,
// targets, windows, scalings or checks are refused with an error naming the
// directory and what differs: judged together they would be judged against
// a schedule neither offered.
func MergeMeta(dirs []string, metas []*Meta) (*Meta, []ShardReport, error) {
	if len(dirs) == 0 || len(dirs) != len(metas) {
		return nil, nil, fmt.Errorf("merging runs: %d directories, %d run.json", len(dirs), len(metas))
	}
	if err := sameShards(dirs, metas); err != nil {
		return nil, nil, err
	}
	for i := 1; i < len(metas); i++ {
		if what := differs(metas[0], metas[i]); what != "" {
			return nil, nil, fmt.Errorf("%s is not a shard of the same run as %s: %s", dirs[i], dirs[0], what)
		}
	}
	order := make([]int, len(metas))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return metas[a].Shard.Index - metas[b].Shard.Index })
	m := *metas[order[0]]
	m.Shard = nil
	for _, x := range metas {
		if x.Start.Before(m.Start) {
			m.Start = x.Start
		}
		if x.End.After(m.End) {
			m.End = x.End
		}
		m.Interrupted = m.Interrupted || x.Interrupted
	}
	shards := make([]ShardReport, 0, len(metas))
	for _, i := range order {
		s := metas[i].Shard
		sr := ShardReport{
			Index: s.Index, Count: s.Count, Host: s.Host, SourceAddr: s.SourceAddr, Dir: dirs[i],
			Clock: s.Clock, ClockOffset: Duration(metas[i].Start.Sub(m.Start)),
		}
		if !s.SetupEnd.IsZero() && s.SetupEnd.After(m.Start) {
			sr.SetupOverrun = Duration(s.SetupEnd.Sub(m.Start))
		}
		shards = append(shards, sr)
	}
	return &m, shards, nil
}

// sameShards checks that metas are shards 1..N of N, each once.
func sameShards(dirs []string, metas []*Meta) error {
	seen := map[int]string{}
	n := 0
	for i, m := range metas {
		s := m.Shard
		switch {
		case s == nil && len(metas) == 1:
			return fmt.Errorf("%s is a whole run, not a shard: judge it alone (kvquota report %s)", dirs[i], dirs[i])
		case s == nil:
			return fmt.Errorf("%s is not a shard (it ran without --shard): only the shards of one run can be judged together", dirs[i])
		case n != 0 && s.Count != n:
			return fmt.Errorf("%s is shard %d of %d, but %s is one of %d: not the same run", dirs[i], s.Index, s.Count, dirs[0], n)
		case seen[s.Index] != "":
			return fmt.Errorf("%s and %s are both shard %d of %d: give each shard's directory once", seen[s.Index], dirs[i], s.Index, s.Count)
		}
		n = s.Count
		seen[s.Index] = dirs[i]
	}
	var missing []string
	for i := 1; i <= n; i++ {
		if seen[i] == "" {
			missing = append(missing, fmt.Sprint(i))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("shard %s of %d missing: give the directory of every shard (a part judged alone is judged against the whole run's limit)", strings.Join(missing, ", "), n)
	}
	return nil
}

// differs names the first thing that tells the runs a and b apart, or "".
// The seed may differ (each shard draws its own) and so may the versions,
// the start and the end.
func differs(a, b *Meta) string {
	for _, f := range []struct {
		what string
		x, y any
		show bool
	}{
		{"its scenario is", a.Scenario, b.Scenario, true},
		{"its target is", a.Target, b.Target, true},
		{"its emulated flag is", a.Emulated, b.Emulated, true},
		{"its profile is", a.Profile, b.Profile, true},
		{"its scenario's own limits are", a.Overrides, b.Overrides, true},
		{"its target's limits (--limit) are", a.TargetLimits, b.TargetLimits, true},
		{"its window is", a.Window, b.Window, true},
		{"its window length is", a.WindowLength, b.WindowLength, true},
		{"its time scaling differs", a.Scaling, b.Scaling, false},
		{"its scaled limits are", a.ScaledLimits, b.ScaledLimits, true},
		{"its stages differ", a.Stages, b.Stages, false},
		{"its checks differ", a.Expect, b.Expect, false},
		{"its keys differ", a.Keys, b.Keys, false},
		{"its number of vaults is", a.Vaults, b.Vaults, true},
	} {
		if reflect.DeepEqual(f.x, f.y) {
			continue
		}
		if f.show {
			return fmt.Sprintf("%s %v, not %v", f.what, show(f.y), show(f.x))
		}
		return f.what
	}
	return ""
}

func show(v any) any {
	rv := reflect.ValueOf(v)
	if v == nil || ((rv.Kind() == reflect.Map || rv.Kind() == reflect.Pointer) && rv.IsNil()) {
		return "none"
	}
	if s, ok := v.(string); ok && s == "" {
		return "none"
	}
	if d, ok := v.(Duration); ok {
		return time.Duration(d)
	}
	return v
}
