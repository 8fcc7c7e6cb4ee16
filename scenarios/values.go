package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Bounds on values, so that a slip of the keyboard (rate: 4000000) gets an
// error instead of an attack nobody meant.
const (
	// MaxDuration is the longest a scenario's stages may add up to.
	MaxDuration = time.Hour
	// MaxRate is the highest offered rate, in requests per second, that a
	// stage may ask for once relative rates are resolved.
	MaxRate = 100_000
	// MaxPercent is the highest relative rate, 100 times the limit.
	MaxPercent = 10_000
	// MaxCount is the most names one setup step or mix entry may spread over.
	MaxCount = 100_000
	// MaxSize is the largest secret value, in bytes (Key Vault's is 25 KiB).
	MaxSize = 25 * 1024
	// MaxPageSize is the largest maxresults Key Vault accepts for a list.
	MaxPageSize = 25
	// DefaultSize is the length of generated secret values when size is not given.
	DefaultSize = 32
)

// ParseRate reads a rate as written in a scenario: a number of requests per
// second ("300", "300/s", "12.5") or a percentage of the mix's limit rate
// ("80%").
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a rate (want a number of requests/s or a percentage of the limit such as 80%%)", s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, err := number(p)
		if err != nil {
			return Rate{}, bad
		}
		if v < 0 || v > MaxPercent {
			return Rate{}, fmt.Errorf("%s is out of range (0%% to %d%% of the limit)", t, MaxPercent)
		}
		return Rate{OfLimit: v / 100, Relative: true}, nil
	}
	t = strings.TrimSpace(strings.TrimSuffix(t, "/s"))
	v, err := number(t)
	if err != nil {
		return Rate{}, bad
	}
	if v < 0 || v > MaxRate {
		return Rate{}, fmt.Errorf("%s requests/s is out of range (0 to %d)", t, MaxRate)
	}
	return Rate{PerSecond: v}, nil
}

// String writes the rate back the way a scenario file would: "80%" or "300/s".
func (r Rate) String() string {
	if r.Relative {
		return strconv.FormatFloat(r.OfLimit*100, 'g', -1, 64) + "%"
	}
	return strconv.FormatFloat(r.PerSecond, 'g', -1, 64) + "/s"
}

// Resolve returns the rate in requests per second, given the limit rate of the
// mix that relative rates are a fraction of.
func (r Rate) Resolve(limitRate float64) float64 {
	if r.Relative {
		return r.OfLimit * limitRate
	}
	return r.PerSecond
}

// ParseTolerance reads a relative tolerance: "1%" or 0.01. It must lie strictly
// between 0 and 1; a bare number of 1 or more is refused because "tolerance: 1"
// far more likely means 1% than 100%.
func ParseTolerance(s string) (float64, error) {
	t := strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a tolerance (want a percentage such as 1%% or a fraction such as 0.01)", s)
	v, err := 0.0, error(nil)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		if v, err = number(p); err != nil {
			return 0, bad
		}
		v /= 100
	} else {
		if v, err = number(t); err != nil {
			return 0, bad
		}
		if v >= 1 {
			return 0, fmt.Errorf("%s would be %g%%; write %s%% for %s percent, or a fraction below 1", t, v*100, t, t)
		}
	}
	if v <= 0 || v >= 1 {
		return 0, fmt.Errorf("%s is out of range (above 0%% and below 100%%; leave tolerance out for the check's default)", t)
	}
	return v, nil
}

// parseDuration reads a positive Go duration such as "30s" or "1m30s".
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (want a Go duration such as 30s or 1m30s)", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s is not a positive duration", s)
	}
	return d, nil
}

// parseCount reads a whole number in [lo, hi].
func parseCount(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range (%d to %d)", n, lo, hi)
	}
	return n, nil
}

// parseWeight reads a positive, finite weight.
func parseWeight(s string) (float64, error) {
	v, err := number(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a weight (want a positive number)", s)
	}
	if v <= 0 || v > 1e9 {
		return 0, fmt.Errorf("%s is not a positive weight (up to 1e9)", s)
	}
	return v, nil
}

// number parses a finite decimal number; Inf, NaN and hexadecimal are refused.
func number(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, errors.New("not a number")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errors.New("not a number")
	}
	return v, nil
}
