package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

// tallyShard ends a shard's run: its results are counted, not judged, since
// a shard's share measured against the whole run's limit says nothing; the
// shards are judged together (JudgeDirs).
func (r *run) tallyShard(ctx context.Context, sum attack.Summary) (*Outcome, error) {
	st, err := results.OpenStream(r.Out)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Dir: r.Out, Shard: r.Plan.Shard, Totals: results.Tally(st.All())}
	if err := st.Err(); err != nil {
		return out, err
	}
	if out.Totals.NoneReached() {
		return out, fmt.Errorf("%w: none of %d requests got an answer (first error: %s)", ErrUnreachable, out.Totals.Requests, out.Totals.FirstError)
	}
	if sum.Interrupted {
		return out, ctx.Err()
	}
	return out, nil
}

// waitForStart waits, once the setup is done, until the plan's start time
// (--start-at), so that the shards of one run start their attacks together
// and no shard's setup falls in another's attack. A start time already past
// starts at once, and says by how much it is late: the merged report's
// clock offsets will show it too, and its setup's end (run.json's
// setup_end) tells the merged judge whether that setup ran into another
// shard's attack (results.SetupOverruns).
func (r *run) waitForStart(ctx context.Context) error {
	at := r.Plan.StartAt
	if at.IsZero() {
		return nil
	}
	wait := time.Until(at)
	if wait <= 0 {
		r.logf("warning: --start-at %s passed %s ago, before the setup was done: attacking now; if another shard's attack has begun, this setup used quota in its windows and the merged run's window checks will be inconclusive", at.Format(time.RFC3339Nano), elapsed(-wait))
		return nil
	}
	r.logf("waiting %s to start at %s", elapsed(wait), at.Format(time.RFC3339Nano))
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// setupShare is the share of the setup a shard sends. Shards that start
// together (--start-at) share it: each sends every Count-th setup request,
// so the run's setup is sent once in all, as one process would send it,
// rather than Count times (four shards' setups of 50 secrets each passed a
// time-scaled create limit of 100 per window, were throttled and backed off
// past the start time). A shard without a start time cannot know when the
// others' setup is done, so it sends the whole setup itself; nil is all of
// it.
func setupShare(p *plan.Plan) func([]vegeta.Target) []vegeta.Target {
	sh := p.Shard
	if sh == nil || sh.Count == 1 || p.StartAt.IsZero() {
		return nil
	}
	return func(ts []vegeta.Target) []vegeta.Target {
		var out []vegeta.Target
		for i := sh.Index - 1; i < len(ts); i += sh.Count {
			out = append(out, ts[i])
		}
		return out
	}
}

// describeShard says which share of the schedule a shard sends, for the
// run's log.
func describeShard(p *plan.Plan) string {
	sh := p.Shard
	if sh == nil || sh.Count == 1 {
		return ""
	}
	s := fmt.Sprintf(" (all shards together; shard %s sends every %s request, 1/%d of the rate", sh, ordinal(sh.Count), sh.Count)
	if p.SourceAddr != nil {
		s += ", from " + p.SourceAddr.String()
	}
	return s + ")"
}

func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// WriteShardOutcome tells a person what a shard's run left and how it is
// judged.
func WriteShardOutcome(w io.Writer, o *Outcome) {
	t := o.Totals
	fmt.Fprintf(w, "\nshard %s: %d requests: %d succeeded, %d throttled (429), %d unauthorized, %d forbidden, %d other status, %d unanswered\n",
		o.Shard, t.Requests, t.Succeeded, t.Throttled, t.Unauthorized, t.Forbidden, t.OtherStatus, t.Unreached)
	fmt.Fprintf(w, "run directory: %s\n", o.Dir)
	fmt.Fprintf(w, "not judged alone: judge the %d shards together with 'kvquota report DIR1 ... DIR%d'\n", o.Shard.Count, o.Shard.Count)
}

// JudgeDirs judges the runs in dirs as one run and writes its report files
// into out (the first directory when empty): a single run directory as Judge
// does, or the shards of one run (kvquota run --shard i/N) merged. The
// shards' results are read together, earliest sent first (results.Merged),
// and judged against the run's whole schedule; the report names each shard
// with its host and clock offset. Directories that are not the shards of
// one run, every one of them once, are refused (results.MergeMeta).
func JudgeDirs(dirs []string, out string, o JudgeOptions) (*results.Report, string, error) {
	if len(dirs) == 0 {
		return nil, "", fmt.Errorf("no run directory given")
	}
	if out == "" {
		out = dirs[0]
	}
	metas := make([]*results.Meta, len(dirs))
	for i, d := range dirs {
		m, err := results.ReadMeta(d)
		if err != nil {
			return nil, "", err
		}
		metas[i] = m
	}
	if len(dirs) == 1 && (metas[0].Shard == nil || metas[0].Shard.Count == 1) && out == dirs[0] {
		rep, err := Judge(dirs[0], o)
		return rep, out, err
	}
	rep, err := judgeMerged(dirs, metas, out, o)
	return rep, out, err
}

// judgeMerged judges the shards in dirs as one run, as Judge judges one
// directory, and writes the report files into out. A shard whose setup ran
// into the attack used quota no result holds: the window checks are then
// inconclusive (assert.UnseenLoad).
func judgeMerged(dirs []string, metas []*results.Meta, out string, o JudgeOptions) (*results.Report, error) {
	var (
		m      = metas[0]
		shards []results.ShardReport
		err    error
	)
	if len(dirs) > 1 || metas[0].Shard != nil {
		if m, shards, err = results.MergeMeta(dirs, metas); err != nil {
			return nil, err
		}
	}
	p, err := judgeProfile(m, o.Profile)
	if err != nil {
		return nil, err
	}
	stream, err := results.OpenMerged(dirs)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	run := &stored{meta: m, profile: p, stream: stream}
	read, err := readOnce(out, run, o)
	if err != nil {
		return nil, err
	}
	if why := results.SetupOverruns(shards); why != "" {
		read.verdicts = assert.UnseenLoad(read.verdicts, why)
	}
	rep := results.NewReport(m, read.totals, read.verdicts, read.plots)
	if o.Profile != "" && o.Profile != m.Profile {
		rep.Profile = o.Profile
	}
	rep.Interrupted = rep.Interrupted || stream.Truncated()
	for i, n := range stream.Counts() {
		for j := range shards {
			if shards[j].Dir == dirs[i] {
				shards[j].Results = n
			}
		}
	}
	rep.Shards = shards
	return rep, writeReports(out, rep, m)
}
