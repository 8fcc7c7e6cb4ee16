package assert

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// Buckets a 429 can come from.
const (
	BucketVault        = "vault"
	BucketSubscription = "subscription"
)

// vaultRecord is a record with the vault it went to (limits.VaultOf).
type vaultRecord struct {
	at, ans int64
	code    uint16
	class   limits.Class
	vault   string
}

func (r vaultRecord) success() bool { return r.code >= 200 && r.code < 300 }

// subscriptionPass collects, in reduce's one read of the results, what
// subscriptionOnset needs beyond the reduced run: records do not carry their
// vault.
type subscriptionPass struct {
	classify limits.Classifier
	recs     []vaultRecord
	vaults   map[string]bool
}

func newSubscriptionPass(in *Input) *subscriptionPass {
	classify := in.Classify
	if classify == nil {
		classify = limits.NewClassifier(nil)
	}
	return &subscriptionPass{classify: classify, vaults: map[string]bool{}}
}

func (s *subscriptionPass) add(r *vegeta.Result) {
	c, ok := s.classify(r.Method, r.URL)
	if !ok || r.Timestamp.IsZero() {
		return
	}
	v := limits.VaultOf(r.URL)
	s.vaults[v] = true
	at := r.Timestamp.UnixNano()
	s.recs = append(s.recs, vaultRecord{at: at, ans: at + max(0, int64(r.Latency)), code: r.Code, class: c, vault: strings.Clone(v)})
}

// costs returns the series of the successes of the vaults keep admits, each
// costing 1/(limit x factor) of its class, with times from start.
func (s *subscriptionPass) costs(p *limits.Profile, factor int, start int64, keep func(string) bool) *series {
	var items []interval
	for _, r := range s.recs {
		if l := p.Limits[r.class]; l > 0 && r.success() && keep(r.vault) {
			items = append(items, interval{sent: r.at - start, answered: r.ans - start, cost: 1 / float64(l*factor)})
		}
	}
	return newSeries(items, 1)
}

// subscriptionOnset judges a run spread over several vaults of one
// subscription under model m: at the first 429 the subscription's bucket, the
// weighted sum of every vault's successes in the window over the profile's
// SubscriptionFactor, must be full (1.0 within tol), and the 429 must have
// come from that bucket, not from its vault's own: the vault it went to had
// room for it. Both are bands (interval.go); the bucket is inconclusive when
// the vault's own band allows either.
func subscriptionOnset(in *Input, s *subscriptionPass, m windowModel, start int64, tol float64) Verdict {
	recs := s.recs
	slices.SortStableFunc(recs, func(a, b vaultRecord) int { return cmp.Compare(a.at, b.at) })
	p, fac := in.Profile, max(1, in.Profile.SubscriptionFactor)
	v := Verdict{
		Check: scenarios.CheckSubscriptionOnset, Tolerance: tol, Comparison: Within, Window: m.kind,
		Unit: fmt.Sprintf("subscription budget (1.0 = %d vaults' worth)", fac), Expected: 1,
	}
	all := s.costs(p, fac, start, func(string) bool { return true })
	first := -1
	firstDecided := int64(1<<63 - 1)
	for i, r := range recs {
		if r.code == 429 {
			if first < 0 {
				first = i
			}
			firstDecided = min(firstDecided, r.ans-start)
		}
	}
	if first < 0 {
		b := m.peak(all)
		setBand(&v, b)
		v.SetOutcome(Inconclusive)
		if b.lo > 1+tol {
			v.SetOutcome(Failed)
		}
		v.Detail = fmt.Sprintf("No 429 was seen across %d vaults: at its fullest the subscription's window held %s of %d vaults' worth.", len(s.vaults), rangeOf(b, "%.3f"), fac)
		return v
	}
	r := recs[first]
	t1 := r.at - start
	sub := m.held(all.probe(), t1, firstDecided)
	own := m.held(s.costs(p, 1, start, func(v string) bool { return v == r.vault }).probe(), t1, firstDecided)
	setBand(&v, sub)
	v.At = ptr(time.Duration(t1))
	grain := 1 / float64(max(1, p.Limits[r.class]))
	bucket, o := BucketSubscription, settle(v)
	switch {
	case own.lo+grain > 1+slack:
		bucket, o = BucketVault, Failed
	case own.hi+grain > 1+slack && o != Failed:
		bucket, o = "subscription or vault", Inconclusive
	}
	v.SetOutcome(o)
	v.Detail = fmt.Sprintf("The first 429 (a %s request to vault %s) came at %s from the %s bucket: the subscription's %s held a summed cost of %s of %d vaults' worth (%s), and the vault's own %s; %d vaults.",
		r.class, vaultLabel(r.vault), secs(*v.At), bucket, m.name(), rangeOf(sub, "%.3f"), fac, deviation(sub.mid(), 1), rangeOf(own, "%.3f"), len(s.vaults))
	return v
}

func vaultLabel(v string) string {
	if v == "" {
		return "(default)"
	}
	return v
}
