package main

import (
	"fmt"
	"strconv"
	"strings"
)

// toleranceFlag reads a relative tolerance as "2%" or "0.02".
type toleranceFlag float64

func (t *toleranceFlag) String() string { return strconv.FormatFloat(float64(*t), 'g', -1, 64) }
func (t *toleranceFlag) Type() string   { return "tolerance" }
func (t *toleranceFlag) Set(s string) error {
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a tolerance (want e.g. 2%% or 0.02)", s)
	}
	if pct {
		v /= 100
	}
	if v >= 1 {
		return fmt.Errorf("tolerance %q is 100%% or more: every figure would pass", s)
	}
	*t = toleranceFlag(v)
	return nil
}
