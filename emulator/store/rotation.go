package store

import (
	"crypto"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RotationPolicy is a key's rotation policy (KeyRotationPolicy of keys.json):
// lifetime actions and the expiry given to new versions. Durations are ISO
// 8601 (P30D, P1Y2M, PT12H), as Key Vault takes them.
type RotationPolicy struct {
	LifetimeActions []LifetimeAction `json:"lifetimeActions"`
	// ExpiryTime is attributes.expiryTime: new versions expire this long
	// after they are made ("" for no expiry).
	ExpiryTime string `json:"expiryTime,omitempty"`
	Created    int64  `json:"created"`
	Updated    int64  `json:"updated"`
}

// LifetimeAction is one action: Rotate or Notify, when TimeAfterCreate has
// passed since the latest version was made or TimeBeforeExpiry remains
// before it expires (one of the two is set).
type LifetimeAction struct {
	Type             string `json:"type"`
	TimeAfterCreate  string `json:"timeAfterCreate,omitempty"`
	TimeBeforeExpiry string `json:"timeBeforeExpiry,omitempty"`
}

func (p RotationPolicy) clone() RotationPolicy {
	p.LifetimeActions = append([]LifetimeAction(nil), p.LifetimeActions...)
	return p
}

// RotationPolicyOf returns a live key's policy; ok is false when it has none.
func (s *Keys) RotationPolicyOf(name string) (p RotationPolicy, ok bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, found := s.live[key(name)]
	if !found {
		return RotationPolicy{}, false, ErrNotFound
	}
	if e.policy == nil {
		return RotationPolicy{}, false, nil
	}
	return e.policy.clone(), true, nil
}

// SetRotationPolicy replaces a live key's policy (checked with Validate) and
// returns it with its dates.
func (s *Keys) SetRotationPolicy(name string, p RotationPolicy) (RotationPolicy, error) {
	if err := p.Validate(); err != nil {
		return RotationPolicy{}, err
	}
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok {
		return RotationPolicy{}, ErrNotFound
	}
	p = p.clone()
	p.Created, p.Updated = now, now
	if e.policy != nil {
		p.Created = e.policy.Created
	}
	e.policy = &p
	s.rescheduleLocked()
	return p.clone(), nil
}

// Key Vault's bounds on a rotation policy (Key Vault "Configure key
// auto-rotation": the rotation time is at least 7 days from creation and 7
// days from expiry; the expiry time at least 28 days). They also keep a
// policy from making the emulator rotate every second.
const (
	minRotationTime = 7 * 24 * time.Hour
	minExpiryTime   = 28 * 24 * time.Hour
)

// atLeast parses s and checks it is no shorter than min.
func atLeast(what, s string, min time.Duration) error {
	d, err := ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	ref := time.Unix(0, 0).UTC()
	if addDuration(ref, d).Sub(ref) < min {
		return fmt.Errorf("%s %s is shorter than Key Vault's minimum of %d days", what, clipped(s), int(min.Hours()/24))
	}
	return nil
}

// Validate names what is wrong with a policy: an action that is neither
// Rotate nor Notify, a trigger with none or both of its times, a duration
// that does not parse or is below Key Vault's minimum.
func (p RotationPolicy) Validate() error {
	if p.ExpiryTime != "" {
		if err := atLeast("expiryTime", p.ExpiryTime, minExpiryTime); err != nil {
			return err
		}
	}
	for i, a := range p.LifetimeActions {
		if !strings.EqualFold(a.Type, "Rotate") && !strings.EqualFold(a.Type, "Notify") {
			return fmt.Errorf("lifetimeActions[%d]: action type %q is not Rotate or Notify", i, clipped(a.Type))
		}
		if (a.TimeAfterCreate == "") == (a.TimeBeforeExpiry == "") {
			return fmt.Errorf("lifetimeActions[%d]: a trigger takes exactly one of timeAfterCreate and timeBeforeExpiry", i)
		}
		for name, d := range map[string]string{"timeAfterCreate": a.TimeAfterCreate, "timeBeforeExpiry": a.TimeBeforeExpiry} {
			if d == "" {
				continue
			}
			if err := atLeast(name, d, minRotationTime); err != nil {
				return fmt.Errorf("lifetimeActions[%d]: %w", i, err)
			}
		}
	}
	return nil
}

func clipped(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// dueLocked is when e's policy next rotates it (zero for never).
func (e *keyEntry) dueLocked() time.Time {
	if e.policy == nil {
		return time.Time{}
	}
	k := e.versions[e.latest]
	var due time.Time
	for _, a := range e.policy.LifetimeActions {
		if !strings.EqualFold(a.Type, "Rotate") {
			continue
		}
		var t time.Time
		if d, err := ParseDuration(a.TimeAfterCreate); a.TimeAfterCreate != "" && err == nil {
			t = addDuration(time.Unix(k.Created, 0), d)
		} else if d, err := ParseDuration(a.TimeBeforeExpiry); a.TimeBeforeExpiry != "" && err == nil && k.Expires != nil {
			t = addDuration(time.Unix(*k.Expires, 0), d.negate())
		}
		if !t.IsZero() && (due.IsZero() || t.Before(due)) {
			due = t
		}
	}
	return due
}

// scheduleLocked brings rotateAt forward to e's due time.
func (s *Keys) scheduleLocked(e *keyEntry) {
	due := e.dueLocked()
	if due.IsZero() {
		return
	}
	if at := s.rotateAt.Load(); at == 0 || due.UnixNano() < at {
		s.rotateAt.Store(due.UnixNano())
	}
}

// rescheduleLocked recomputes rotateAt over every live key.
func (s *Keys) rescheduleLocked() {
	s.rotateAt.Store(0)
	for _, e := range s.live {
		s.scheduleLocked(e)
	}
}

// RotateDue carries out every Rotate action that is due on the store's
// clock, making each new version's material with mk, and returns how many
// keys it rotated. It costs one atomic load when nothing is due, so the
// vault calls it before every key request.
func (s *Keys) RotateDue(mk func(Key) (crypto.Signer, error)) (int, error) {
	now := s.clock.Now()
	if at := s.rotateAt.Load(); at == 0 || now.UnixNano() < at {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	var firstErr error
	for _, e := range s.live {
		// A key many periods behind rotates once per period, as Key Vault
		// would have done; a bound keeps a far jump of the clock cheap.
		for i := 0; i < 100; i++ {
			due := e.dueLocked()
			if due.IsZero() || now.Before(due) {
				break
			}
			if _, err := s.rotateLocked(e, due, mk); err != nil {
				firstErr = err
				break
			}
			n++
		}
	}
	s.rescheduleLocked()
	return n, firstErr
}

// Duration is an ISO 8601 duration: years, months and days on the calendar,
// and a time part.
type Duration struct {
	Years, Months, Days int
	Time                time.Duration
}

func (d Duration) negate() Duration {
	return Duration{-d.Years, -d.Months, -d.Days, -d.Time}
}

func addDuration(t time.Time, d Duration) time.Time {
	return t.AddDate(d.Years, d.Months, d.Days).Add(d.Time)
}

var isoDuration = regexp.MustCompile(`^P(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,8})M)?(?:(\d{1,9})S)?)?$`)

// ParseDuration parses an ISO 8601 duration such as P90D, P1Y6M or PT1H.
func ParseDuration(s string) (Duration, error) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return Duration{}, fmt.Errorf("%q is not an ISO 8601 duration (e.g. P90D)", clipped(s))
	}
	n := func(i int) int {
		v, _ := strconv.Atoi(m[i]) // the pattern admits digits only
		return v
	}
	d := Duration{Years: n(1), Months: n(2), Days: n(3)*7 + n(4),
		Time: time.Duration(n(5))*time.Hour + time.Duration(n(6))*time.Minute + time.Duration(n(7))*time.Second}
	if d == (Duration{}) {
		return Duration{}, errors.New("a duration of zero is not a valid trigger or expiry")
	}
	return d, nil
}
