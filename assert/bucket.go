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
	s.recs = append(s.recs, vaultRecord{at: at, ans: at + max(0, int64(r.Latency)), code: recordCode(r), class: c, vault: strings.Clone(v)})
}

// sorted returns the records in sending order.
func (s *subscriptionPass) sorted() []vaultRecord {
	slices.SortStableFunc(s.recs, func(a, b vaultRecord) int { return cmp.Compare(a.at, b.at) })
	return s.recs
}

// bucketVerdict is the verdict of a bucket check before it is judged: a
// budget of 1.0 expected within tol.
func bucketVerdict(check scenarios.CheckName, unit string, m windowModel, tol float64) Verdict {
	return Verdict{Check: check, Tolerance: tol, Comparison: Within, Window: m.kind, Unit: unit, Expected: 1}
}

// costs returns the series of the successes (and the requests that may
// have used quota, record.span) of the vaults keep admits, each
// costing 1/(limit x factor) of its class, with times from start.
func (s *subscriptionPass) costs(p *limits.Profile, factor int, start int64, keep func(string) bool) *series {
	var items []interval
	for _, r := range s.recs {
		if l := p.Limits[r.class]; l > 0 && keep(r.vault) {
			if it, ok := spanOf(r.at, r.ans, r.code, start, 1/float64(l*factor)); ok {
				items = append(items, it)
			}
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
	recs, p, fac := s.sorted(), in.Profile, max(1, in.Profile.SubscriptionFactor)
	v := bucketVerdict(scenarios.CheckSubscriptionOnset, fmt.Sprintf("subscription budget (1.0 = %d vaults' worth)", fac), m, tol)
	all := s.costs(p, fac, start, func(string) bool { return true })
	first, firstDecided := firstRefusal(recs, start)
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
	// One transaction's grain, as for onset (judge.grain), in the
	// subscription's units.
	grain := 1 / float64(max(1, p.Limits[r.class]))
	v.Tolerance = tol + grain/float64(fac)
	setBand(&v, sub)
	v.At = ptr(time.Duration(t1))
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
	// Whatever the first 429 shows (a fixed bucket's phase can make any one
	// window look right), a subscription window that certainly held more
	// than its budget fails: a right one never does.
	if pk := m.peak(all); pk.lo > 1+tol+slack {
		v.SetOutcome(Failed)
		v.Detail += fmt.Sprintf(" But the subscription's window certainly held %.3f of %d vaults' worth at some time, more than it allows (%s).", pk.lo, fac, deviation(pk.lo, 1))
	}
	return v
}

func vaultLabel(v string) string {
	if v == "" {
		return "(default)"
	}
	return v
}

// vaultOnset judges a run spread over several vaults of one subscription
// whose subscription keeps room (the vaults' sum below SubscriptionFactor
// vaults' worth) under model m: the first 429 must come when the vault it
// went to held its own limit (1.0 within tol) in the window, from the vault's
// bucket, not the subscription's. It is subscriptionOnset the other way
// round: quota is per vault first, even when several vaults share a
// subscription. Bands as in subscriptionOnset; while the subscription's own
// band may be full the 429 may be the subscription's, and a vault that held
// its limit only passes once the subscription certainly had room.
func vaultOnset(in *Input, s *subscriptionPass, m windowModel, start int64, tol float64) Verdict {
	recs, p, fac := s.sorted(), in.Profile, max(1, in.Profile.SubscriptionFactor)
	v := bucketVerdict(scenarios.CheckVaultOnset, "vault budget (1.0 = one vault's limits)", m, tol)
	first, firstDecided := firstRefusal(recs, start)
	var fullest band
	fullestVault := ""
	for name := range s.vaults {
		b := m.peak(s.costs(p, 1, start, func(v string) bool { return v == name }))
		if b.hi > fullest.hi || (b.hi == fullest.hi && name < fullestVault) {
			fullest, fullestVault = b, name
		}
	}
	if first < 0 {
		setBand(&v, fullest)
		v.SetOutcome(Inconclusive)
		if fullest.lo > 1+tol {
			v.SetOutcome(Failed)
		}
		v.Detail = fmt.Sprintf("No 429 was seen across %d vaults: at its fullest a vault's window held %s of its limits.", len(s.vaults), rangeOf(fullest, "%.3f"))
		return v
	}
	r := recs[first]
	t1 := r.at - start
	sub := m.held(s.costs(p, fac, start, func(string) bool { return true }).probe(), t1, firstDecided)
	own := m.held(s.costs(p, 1, start, func(v string) bool { return v == r.vault }).probe(), t1, firstDecided)
	// One transaction's grain, as for onset (judge.grain): a token bucket
	// refuses once less than a whole one is left.
	grain := 1 / float64(max(1, p.Limits[r.class]))
	v.Tolerance = tol + grain
	setBand(&v, own)
	v.At = ptr(time.Duration(t1))
	bucket, o := BucketVault, settle(v)
	switch {
	case sub.lo+grain/float64(fac) > 1+slack && own.hi+grain < 1-tol:
		bucket, o = BucketSubscription, Failed
	case sub.hi+grain/float64(fac) > 1+slack && o == Passed:
		bucket, o = "vault or subscription", Inconclusive
	}
	v.SetOutcome(o)
	v.Detail = fmt.Sprintf("The first 429 (a %s request to vault %s) came at %s from the %s bucket: the vault's own %s held a summed cost of %s of its limits (%s), and the subscription's %s of %d vaults' worth; %d vaults.",
		r.class, vaultLabel(r.vault), secs(*v.At), bucket, m.name(), rangeOf(own, "%.3f"), deviation(own.mid(), 1), rangeOf(sub, "%.3f"), fac, len(s.vaults))
	// Whatever the first 429 shows, a vault's window that certainly held
	// more than its limits fails (no grain: a right window never does).
	if fullest.lo > 1+tol+slack {
		v.SetOutcome(Failed)
		v.Detail += fmt.Sprintf(" But vault %s's window certainly held %.3f of its limits at some time, more than they allow (%s).", vaultLabel(fullestVault), fullest.lo, deviation(fullest.lo, 1))
	}
	return v
}

// firstRefusal returns the index of the first 429 sent in recs (sorted by
// sending; -1 for none) and the earliest answer of any 429, from start: by
// then the target had refused something.
func firstRefusal(recs []vaultRecord, start int64) (first int, decided int64) {
	first, decided = -1, int64(1<<63-1)
	for i, r := range recs {
		if r.code == 429 {
			if first < 0 {
				first = i
			}
			decided = min(decided, r.ans-start)
		}
	}
	return first, decided
}
