package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// roundTicks labels about eight round numbers (steps of 1, 2 or 5 times a
// power of ten) with unlabelled minor ticks between: gonum's default labels
// only three, with needless decimals, which makes seconds hard to read off.
type roundTicks struct{}

func (roundTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: label(lo, 1)}}
	}
	step, minors := roundStep((hi - lo) / 8)
	minor := step / float64(minors)
	var ts []plot.Tick
	for k := math.Ceil(lo/minor - 1e-9); k*minor <= hi+minor*1e-9; k++ {
		v := k * minor
		t := plot.Tick{Value: v}
		if math.Mod(k, float64(minors)) == 0 {
			t.Label = label(v, step)
		}
		ts = append(ts, t)
	}
	return ts
}

// roundStep returns the round step nearest above raw, and how many minor
// ticks divide it.
func roundStep(raw float64) (step float64, minors int) {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		return p, 5
	case f <= 2:
		return 2 * p, 4
	case f <= 5:
		return 5 * p, 5
	}
	return 10 * p, 5
}

// label prints v with as many decimals as the step needs, and no "-0".
func label(v, step float64) string {
	if v == 0 {
		v = 0 // not -0
	}
	decimals := max(0, int(-math.Floor(math.Log10(step))))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
