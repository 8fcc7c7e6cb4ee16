package plots_test

import (
	"iter"
	"net/http"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
)

var start = time.Date(2025, 3, 1, 12, 0, 3, 0, time.UTC) // 3 s into an epoch bucket

const (
	getURL = "https://127.0.0.1:8443/secrets/s-1?api-version=7.5"
	putURL = "https://127.0.0.1:8443/secrets/w-1?api-version=7.5"
)

// stage is a span of steady or linearly changing offered load.
type stage struct {
	d        time.Duration
	from, to float64 // req/s
}

// target answers like a weighted sliding or fixed vault of profile p: it is a
// reference written for the tests, independent of the package under test.
type target struct {
	p        *limits.Profile
	model    limits.WindowModel
	admitted []struct {
		at time.Time
		c  limits.Class
	}
	bucket int64
	usage  limits.Usage
}

func (tg *target) admit(t time.Time, c limits.Class) bool {
	w := tg.p.Window
	if tg.model == limits.Fixed {
		if b := t.UnixNano() / int64(w); b != tg.bucket {
			tg.bucket = b
			tg.usage.Reset()
		}
	} else {
		for len(tg.admitted) > 0 && !tg.admitted[0].at.After(t.Add(-w)) {
			tg.usage.Add(tg.admitted[0].c, -1)
			tg.admitted = tg.admitted[1:]
		}
	}
	if !tg.usage.Fits(tg.p, 1, c) {
		return false
	}
	tg.usage.Add(c, 1)
	tg.admitted = append(tg.admitted, struct {
		at time.Time
		c  limits.Class
	}{t, c})
	return true
}

// attack offers the stages to a target and returns its answers; every
// putEvery-th request is a PUT (0: none). Every 97th request gets no
// response, as when a connection is reset.
func attack(p *limits.Profile, model limits.WindowModel, putEvery int, stages ...stage) []*vegeta.Result {
	tg := &target{p: p, model: model}
	var rs []*vegeta.Result
	at, n := time.Duration(0), 0
	for _, s := range stages {
		end := at + s.d
		for at < end {
			f := float64(at-(end-s.d)) / float64(s.d)
			rate := s.from + f*(s.to-s.from)
			method, url, c := "GET", getURL, limits.Secrets
			if putEvery > 0 && n%putEvery == putEvery-1 {
				method, url, c = "PUT", putURL, limits.SecretsCreate
			}
			r := &vegeta.Result{Timestamp: start.Add(at), Method: method, URL: url, Latency: 3 * time.Millisecond}
			switch {
			case n%97 == 96:
				r.Error = "read: connection reset by peer"
			case tg.admit(r.Timestamp, c):
				r.Code = 200
			default:
				r.Code = 429
				r.Body = []byte(`{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received."}}`)
				r.Headers = http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			}
			rs = append(rs, r)
			n++
			at += time.Duration(float64(time.Second) / max(rate, 1))
		}
	}
	return rs
}

// smallProfile has secrets 1000 and secrets-create 100 per 10 s, so a run
// that crosses the limit is a few thousand requests.
func smallProfile() *limits.Profile {
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: 1000, limits.SecretsCreate: 100})
	if err != nil {
		panic(err)
	}
	return p
}

func seq(rs []*vegeta.Result) iter.Seq[*vegeta.Result] { return slices.Values(rs) }
