package runner

import (
	"context"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/results"
)

// attack sends the scenario's mix at its schedule's pace, writing every
// result as it arrives, and run.json before the first request and after the
// last.
func (r *run) attack(ctx context.Context) (attack.Summary, error) {
	s := r.sr.Scenario
	tr, err := r.targeter()
	if err != nil {
		return attack.Summary{}, err
	}
	r.logf("attacking %s for %s: %s%s", r.tg.url, elapsed(s.Duration()), describeSpans(r.spans), describeShard(r.Plan))
	prog := newProgress(r.Log, r.ProgressEvery, s.Duration())
	opts := []attack.Option{
		attack.WithName(s.Name),
		attack.WithTLSConfig(r.tg.tls),
		attack.WithObserver(prog.observe),
		attack.WithSourceAddr(r.Plan.SourceAddr),
		attack.WithStart(func(t time.Time) {
			r.meta.Start = t
			if r.meta.Shard != nil {
				r.meta.Shard.Clock = t
			}
			prog.start(t)
			// Written before the first request so a run killed mid-way is
			// still a run directory that `kvquota report` can read.
			if err := results.WriteMeta(r.Out, r.meta); err != nil {
				r.logf("warning: %v", err)
			}
		}),
	}
	if s.IsAuthProbe() || len(r.tg.clients) > 0 {
		client := attack.NewSourceClient(r.tg.tls)
		defer client.CloseIdleConnections()
		opts = append(opts, attack.WithClient(client))
	}
	sum, err := attack.Run(ctx, tr, r.pacer(), r.w, opts...)
	prog.stop()
	r.meta.End, r.meta.Interrupted = sum.End, sum.Interrupted
	if cerr := r.w.Close(); err == nil {
		err = cerr
	}
	if merr := results.WriteMeta(r.Out, r.meta); err == nil {
		err = merr
	}
	return sum, err
}

// pacer paces the schedule, or the plan's shard of it.
func (r *run) pacer() *attack.Pacer {
	p := attack.NewPacer(r.spans)
	if sh := r.Plan.Shard; sh != nil {
		return p.Shard(sh.Index, sh.Count)
	}
	return p
}

// targeter is what the attack sends: an auth-conformance scenario's cases, or
// the scenario's mix.
func (r *run) targeter() (vegeta.Targeter, error) {
	s := r.sr.Scenario
	ua := attack.WithTargetUserAgent(userAgent())
	if s.IsAuthProbe() {
		return attack.NewAuthTargeter(r.tg.url, s, r.tg.tokens, r.tg.auth, ua)
	}
	return attack.NewTargeter(r.tg.url, s, r.tg.tokens, ua, attack.WithClients(r.tg.clients))
}
