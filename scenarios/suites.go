package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// suites lists the named suites and the built-in scenarios each runs.
var suites = map[string]func() []string{
	// conformance is every built-in scenario: every row of the limits
	// tables, the weighted example, the subscription spill, and the rest.
	"conformance": BuiltinNames,
	// quota is the built-ins that judge throttling (onset, no-throttle,
	// goodput, subscription-onset): the limits tables alone.
	"quota": quotaBuiltins,
}

// SuiteNames lists the suites, sorted.
func SuiteNames() []string {
	out := make([]string, 0, len(suites))
	for n := range suites {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Suite returns the built-in scenarios of the named suite, in the order they
// run.
func Suite(name string) ([]*Scenario, error) {
	list, ok := suites[name]
	if !ok {
		return nil, fmt.Errorf("unknown suite %q (known: %s)", name, strings.Join(SuiteNames(), ", "))
	}
	var out []*Scenario
	for _, n := range list() {
		s, err := Builtin(n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// quotaBuiltins lists the built-ins that expect a throttling check.
func quotaBuiltins() []string {
	var out []string
	for _, n := range BuiltinNames() {
		s, err := Builtin(n)
		if err != nil {
			continue
		}
		if s.judgesThrottling() {
			out = append(out, n)
		}
	}
	return out
}

// judgesThrottling reports whether s expects a throttling check.
func (s *Scenario) judgesThrottling() bool {
	for _, x := range s.Expect {
		switch x.Check {
		case CheckOnset, CheckNoThrottle, CheckGoodput, CheckSubscriptionOnset, CheckVaultOnset:
			return true
		}
	}
	return false
}
