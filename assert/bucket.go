package assert

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
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
	at    int64
	code  uint16
	class limits.Class
	vault string
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
	s.recs = append(s.recs, vaultRecord{at: r.Timestamp.UnixNano(), code: r.Code, class: c, vault: strings.Clone(v)})
}

// subscriptionOnset judges a run spread over several vaults of one
// subscription: at the first 429 the subscription's bucket, the weighted sum
// of every vault's successes in the window over the profile's
// SubscriptionFactor, must be full (1.0 within tol), and the 429 must have
// come from that bucket, not from its vault's own: the vault it went to had
// room for it.
func subscriptionOnset(in *Input, s *subscriptionPass, tol float64) Verdict {
	recs, vaults := s.recs, s.vaults
	slices.SortStableFunc(recs, func(a, b vaultRecord) int { return cmp.Compare(a.at, b.at) })

	p, fac := in.Profile, max(1, in.Profile.SubscriptionFactor)
	v := Verdict{
		Check: scenarios.CheckSubscriptionOnset, Tolerance: tol, Comparison: Within, Window: in.Window,
		Unit: fmt.Sprintf("subscription budget (1.0 = %d vaults' worth)", fac), Expected: 1,
	}
	w := int64(p.Window)
	start := func(t int64) int64 {
		if in.Window == limits.Fixed {
			return floorDiv(t, w) * w
		}
		return t - w + 1
	}
	var sub limits.Usage
	per := map[string]*limits.Usage{}
	usage := func(vault string) *limits.Usage {
		u, ok := per[vault]
		if !ok {
			u = &limits.Usage{}
			per[vault] = u
		}
		return u
	}
	peak, tail := 0.0, 0
	for head, r := range recs {
		for lo := start(r.at); tail < head && recs[tail].at < lo; tail++ {
			if t := recs[tail]; t.code >= 200 && t.code < 300 {
				sub.Add(t.class, -1)
				usage(t.vault).Add(t.class, -1)
			}
		}
		switch {
		case r.code >= 200 && r.code < 300:
			sub.Add(r.class, 1)
			usage(r.vault).Add(r.class, 1)
			peak = max(peak, sub.Cost(p, fac))
		case r.code == 429:
			v.Measured = sub.Cost(p, fac)
			at := r.at - firstAt(in, recs)
			v.At = ptr(time.Duration(at))
			own := usage(r.vault)
			bucket := BucketSubscription
			if !own.Fits(p, 1, r.class) {
				bucket = BucketVault
			}
			v.Pass = holds(v) && bucket == BucketSubscription
			v.Detail = fmt.Sprintf("The first 429 (a %s request to vault %s) came at %s from the %s bucket: the subscription's window held a summed cost of %.3f of %d vaults' worth (%s), and the vault's own %.3f; the %d vaults held %s.",
				r.class, vaultLabel(r.vault), secs(*v.At), bucket, v.Measured, fac, deviation(v.Measured, 1), own.Cost(p, 1), len(vaults), vaultCosts(per, p))
			return v
		}
	}
	v.Measured = peak
	v.Detail = fmt.Sprintf("No 429 was seen across %d vaults: at its fullest the subscription's window held %.3f of %d vaults' worth.", len(vaults), peak, fac)
	return v
}

func vaultLabel(v string) string {
	if v == "" {
		return "(default)"
	}
	return v
}

// vaultCosts lists each vault's cost, e.g. "(default) 0.83, v1 0.83".
func vaultCosts(per map[string]*limits.Usage, p *limits.Profile) string {
	names := make([]string, 0, len(per))
	for n := range per {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %.3f", vaultLabel(n), per[n].Cost(p, 1))
	}
	return strings.Join(parts, ", ")
}

func firstAt(in *Input, recs []vaultRecord) int64 {
	if !in.Start.IsZero() {
		return in.Start.UnixNano()
	}
	if len(recs) > 0 {
		return recs[0].at
	}
	return 0
}
