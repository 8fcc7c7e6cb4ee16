package discover

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"
)

// virtualProber plays truth in virtual time: every request is answered at
// once, one every gap in a burst (inflight more are in flight at its first
// 429), and its counted time is moved by up to ±jitter, which the client
// knows as its interval. With slow set, the target instead decides each
// request a seeded-random delay after it was sent (in the order they reach
// it, as one queue would) and answers another delay later: the client sees
// only [sent, answered].
type virtualProber struct {
	slow     *latency
	truth    Model
	offset   time.Duration // the schedule's start in truth's time
	gap      time.Duration
	inflight int
	jitter   time.Duration
	rng      *rand.Rand
	slowest  float64 // when set, the fastest a paced phase can send, per second
	t        time.Duration
	ats      []time.Duration
}

func newVirtual(truth Model, offset time.Duration, seed uint64) *virtualProber {
	return &virtualProber{truth: truth, offset: offset, gap: time.Millisecond, inflight: 3,
		jitter: 500 * time.Microsecond, rng: rand.New(rand.NewPCG(seed, 7))}
}

func (v *virtualProber) now() time.Duration { return v.t }

func (v *virtualProber) sleepUntil(_ context.Context, t time.Duration) error {
	v.t = max(v.t, t)
	return nil
}

func (v *virtualProber) send(ph Phase) Obs {
	if v.slow != nil {
		return v.sendSlow(ph)
	}
	j := time.Duration(0)
	if v.jitter > 0 {
		j = time.Duration(v.rng.Int64N(int64(2*v.jitter))) - v.jitter
	}
	at := v.offset + v.t + j
	// keep the oracle's times ordered
	i, _ := slices.BinarySearch(v.ats, at)
	v.ats = slices.Insert(v.ats, i, at)
	ok := v.truth.Predict(v.ats)[i]
	return Obs{At: v.t, Sent: v.t - v.jitter, Answered: v.t + v.jitter, OK: ok, Phase: ph}
}

// latency is a slow target's delays: before the decision up to Before, after
// it up to After, each uniform, and one request in Spike taking up to
// SpikeMax on both sides (a descheduled goroutine, a GC pause).
type latency struct {
	Before, After, SpikeMax time.Duration
	Spike                   int
	last                    time.Duration // the last decision, in truth's time
}

func (v *virtualProber) delay(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return time.Duration(v.rng.Int64N(int64(max)))
}

func (v *virtualProber) sendSlow(ph Phase) Obs {
	l := v.slow
	before, after := v.delay(l.Before), v.delay(l.After)
	if l.Spike > 0 && v.rng.IntN(l.Spike) == 0 {
		before, after = before+v.delay(l.SpikeMax), after+v.delay(l.SpikeMax)
	}
	at := max(l.last, v.offset+v.t+before)
	l.last = at
	v.ats = append(v.ats, at)
	ok := v.truth.Predict(v.ats)[len(v.ats)-1]
	sent, answered := v.t, at-v.offset+after
	return Obs{At: sent + (answered-sent)/2, Sent: sent, Answered: answered, OK: ok, Phase: ph}
}

func (v *virtualProber) one(_ context.Context, ph Phase) (Obs, error) {
	o := v.send(ph)
	v.t += v.gap / 2
	return o, nil
}

func (v *virtualProber) burst(_ context.Context, ph Phase, n int) ([]Obs, error) {
	var out []Obs
	if n > 0 {
		for range n {
			out = append(out, v.send(ph))
			v.t += v.gap
		}
		return out, nil
	}
	extra := -1
	for extra != 0 {
		o := v.send(ph)
		out = append(out, o)
		v.t += v.gap
		if extra > 0 {
			extra--
		}
		if !o.OK && extra < 0 {
			extra = v.inflight
		}
	}
	return out, nil
}

func (v *virtualProber) paced(_ context.Context, ph Phase, rate float64, until time.Duration, stop func(int) bool) ([]Obs, error) {
	var out []Obs
	if v.slowest > 0 {
		rate = min(rate, v.slowest)
	}
	step := time.Duration(float64(time.Second) / rate)
	for ok := 0; !stop(ok) && v.t < until; v.t += step {
		o := v.send(ph)
		out = append(out, o)
		if o.OK {
			ok++
		}
	}
	return out, nil
}
