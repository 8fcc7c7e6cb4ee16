package runner

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/scenarios"
)

// planOf resolves r for the loaded scenario s (a Run), as the CLI would.
func planOf(t *testing.T, s *scenarios.Scenario, r plan.Request) *plan.Plan {
	t.Helper()
	r.Command, r.Loaded = plan.Run, s
	if r.Getenv == nil {
		r.Getenv = func(string) string { return "" }
	}
	p, err := plan.Resolve(r)
	require.NoError(t, err)
	return p
}

// suitePlan resolves r as `kvquota run --suite` would.
func suitePlan(t *testing.T, r plan.Request) *plan.Plan {
	t.Helper()
	r.Command = plan.Run
	if r.Getenv == nil {
		r.Getenv = func(string) string { return "" }
	}
	p, err := plan.Resolve(r)
	require.NoError(t, err)
	return p
}

// only keeps the plan's scenarios named.
func only(p *plan.Plan, names ...string) *plan.Plan {
	var keep []*scenarios.Scenario
	for _, s := range p.Scenarios {
		if slices.Contains(names, s.Name) {
			keep = append(keep, s)
		}
	}
	p.Scenarios = keep
	return p
}
