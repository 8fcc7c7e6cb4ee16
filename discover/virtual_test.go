package discover

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"
)

// virtualProber plays truth in virtual time: every request is answered at
// once, one every gap in a burst (inflight more are in flight at its first
// 429), and its counted time is moved by up to ±jitter.
type virtualProber struct {
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
	j := time.Duration(0)
	if v.jitter > 0 {
		j = time.Duration(v.rng.Int64N(int64(2*v.jitter))) - v.jitter
	}
	at := v.offset + v.t + j
	// keep the oracle's times ordered
	i, _ := slices.BinarySearch(v.ats, at)
	v.ats = slices.Insert(v.ats, i, at)
	ok := v.truth.Predict(v.ats)[i]
	return Obs{At: v.t, OK: ok, Phase: ph}
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
