package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]Duration{
		"P90D":       {Days: 90},
		"P1Y6M":      {Years: 1, Months: 6},
		"P2W":        {Days: 14},
		"PT12H30M5S": {Time: 12*time.Hour + 30*time.Minute + 5*time.Second},
		"P1DT1H":     {Days: 1, Time: time.Hour},
	} {
		got, err := ParseDuration(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "P", "PT", "90D", "P1.5D", "P-1D", "P0D", "PT1H2D", "P1D ", "p1d"} {
		_, err := ParseDuration(bad)
		assert.Error(t, err, bad)
	}
	// Calendar arithmetic: one month after January 31 is March 3 (2026).
	assert.Equal(t, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC),
		addDuration(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC), Duration{Months: 1}))
}

func TestRotationPolicyMinimums(t *testing.T) {
	ok := RotationPolicy{ExpiryTime: "P28D", LifetimeActions: []LifetimeAction{{Type: "Rotate", TimeAfterCreate: "P7D"}, {Type: "Notify", TimeBeforeExpiry: "P1W"}}}
	require.NoError(t, ok.Validate())
	for _, bad := range []RotationPolicy{
		{ExpiryTime: "P27D"},
		{LifetimeActions: []LifetimeAction{{Type: "Rotate", TimeAfterCreate: "P6DT23H"}}},
		{LifetimeActions: []LifetimeAction{{Type: "Rotate"}}},
		{LifetimeActions: []LifetimeAction{{Type: "Rotate", TimeAfterCreate: "P7D", TimeBeforeExpiry: "P7D"}}},
		{LifetimeActions: []LifetimeAction{{Type: "Archive", TimeAfterCreate: "P7D"}}},
	} {
		assert.Error(t, bad.Validate(), "%+v", bad)
	}
}
