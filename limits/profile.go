package limits

import (
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Profile is one revision of the documented limits.
type Profile struct {
	// Name identifies the revision ("2018", "2021", "2025").
	Name string
	// Source says where the numbers come from.
	Source string
	// Window is the interval every limit applies to (10 s in every revision).
	Window time.Duration
	// SubscriptionFactor is how many vaults' worth of transactions one
	// subscription may make in a window, for all transaction types.
	SubscriptionFactor int
	// Limits holds the maximum transactions per Window per vault of each class.
	Limits map[Class]int
	// SharedImport is true when the secrets row's 300 (SecretsCreate) is
	// shared by CREATE secret, IMPORT certificate and IMPORT key, as the 2025
	// text says; otherwise an import counts as its key type's CREATE.
	SharedImport bool
	// Overridden lists the classes whose limit was changed from the documented
	// figure (by WithOverrides), so reports can say the target is not stock.
	Overridden []Class
}

// DefaultProfile is the profile used when a scenario or command names none: the
// current documentation.
const DefaultProfile = "2025"

// Names lists the known profile names, oldest first.
func Names() []string { return []string{"2018", "2021", "2025"} }

// Get returns a fresh copy of the named profile, which the caller may modify.
func Get(name string) (*Profile, error) {
	var p *Profile
	switch name {
	case "2018":
		p = profile2018()
	case "2021":
		p = profile2021()
	case "2025":
		p = profile2025()
	default:
		return nil, fmt.Errorf("unknown limits profile %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return p, nil
}

// MustGet is Get for names known at compile time.
func MustGet(name string) *Profile {
	p, err := Get(name)
	if err != nil {
		panic(err)
	}
	return p
}

// ImportClass is the class of importing a key of spec (or a certificate
// whose key is of spec): SecretsCreate where the profile shares that row
// with imports (2025), the key type's CREATE otherwise.
func (p *Profile) ImportClass(spec KeySpec) Class {
	if p.SharedImport {
		return SecretsCreate
	}
	return spec.Class(true)
}

// Limit returns the per-vault limit of class c per Window.
func (p *Profile) Limit(c Class) int { return p.Limits[c] }

// Rate returns the limit of class c as a sustained rate in transactions per second.
func (p *Profile) Rate(c Class) float64 {
	return float64(p.Limits[c]) / p.Window.Seconds()
}

// Clone returns a deep copy.
func (p *Profile) Clone() *Profile {
	q := *p
	q.Limits = maps.Clone(p.Limits)
	q.Overridden = append([]Class(nil), p.Overridden...)
	return &q
}

// WithOverrides returns a copy of p with the given class limits replaced, to
// emulate a vault whose limits were raised (or to prove that a check fails on a
// target that throttles at the wrong place).
func (p *Profile) WithOverrides(o map[Class]int) (*Profile, error) {
	q := p.Clone()
	keys := make([]Class, 0, len(o))
	for c := range o {
		keys = append(keys, c)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, c := range keys {
		if _, ok := q.Limits[c]; !ok {
			return nil, fmt.Errorf("profile %s has no class %q", p.Name, c)
		}
		if o[c] <= 0 {
			return nil, fmt.Errorf("limit for %s must be positive, got %d", c, o[c])
		}
		if q.Limits[c] != o[c] {
			q.Limits[c] = o[c]
			q.Overridden = append(q.Overridden, c)
		}
	}
	return q, nil
}

// ParseOverrides parses "class=limit" items such as "secrets=2400".
func ParseOverrides(items []string) (map[Class]int, error) {
	out := make(map[Class]int, len(items))
	for _, it := range items {
		k, v, ok := strings.Cut(it, "=")
		if !ok {
			return nil, fmt.Errorf("limit override %q: want CLASS=N, e.g. secrets=2400", it)
		}
		c, err := ParseClass(k)
		if err != nil {
			return nil, fmt.Errorf("limit override %q: %w", it, err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("limit override %q: %q is not a positive whole number", it, v)
		}
		out[c] = n
	}
	return out, nil
}
