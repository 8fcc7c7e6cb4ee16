package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

// minimal is the smallest valid scenario: one stage, one operation that needs
// no setup.
const minimal = `
stages:
  - {duration: 1s, rate: 10}
mix:
  - {op: list-secrets}
`

// example is the shape from the format documentation.
const example = `
name: secrets-onset
description: reads ramp past the limit
profile: "2021"
window: fixed
target: https://myvault.vault.azure.net/
limits: {secrets: 4000, secrets-create: 600}
seed: 7
setup:
  - {op: set-secret, count: 50, name: "onset-{i}", size: 32}
  - {op: set-secret, name: versioned, count: 3}
stages:
  - {duration: 10s, rate: 50%}
  - {duration: 30s, rate: 50%, to: 150%}
  - {duration: 5s, rate: 300}
mix:
  - {op: get-secret, weight: 9, name: "onset-{i}", count: 50}
  - {op: set-secret, weight: 1, name: "w-{i}", count: 10, size: 64}
  - {op: list-secrets, weight: 0.5, max-results: 10}
  - {op: list-secret-versions, name: versioned}
expect:
  - {check: onset, tolerance: 1%}
  - {check: no-early-throttle}
  - {check: goodput, stage: 3, tolerance: 0.02}
  - {check: error-shape}
`

func TestParseTheDocumentedExample(t *testing.T) {
	s, err := Parse("scenarios/x.yaml", []byte(example))
	require.NoError(t, err)
	half, oneHalf := Rate{OfLimit: 0.5, Relative: true}, Rate{OfLimit: 1.5, Relative: true}
	want := &Scenario{
		Name:        "secrets-onset",
		Description: "reads ramp past the limit",
		Source:      "scenarios/x.yaml",
		Raw:         []byte(example),
		Profile:     "2021",
		Window:      limits.Fixed,
		Target:      "https://myvault.vault.azure.net",
		Limits:      map[limits.Class]int{limits.Secrets: 4000, limits.SecretsCreate: 600},
		Seed:        7,
		Setup: []SetupStep{
			{Op: SetSecret, Count: 50, Name: "onset-{i}", Size: 32},
			{Op: SetSecret, Count: 3, Name: "versioned", Size: DefaultSize},
		},
		Stages: []Stage{
			{Duration: 10 * time.Second, Rate: half},
			{Duration: 30 * time.Second, Rate: half, To: &oneHalf},
			{Duration: 5 * time.Second, Rate: Rate{PerSecond: 300}},
		},
		Mix: []Op{
			{Op: GetSecret, Weight: 9, Name: "onset-{i}", Count: 50},
			{Op: SetSecret, Weight: 1, Name: "w-{i}", Count: 10, Size: 64},
			{Op: ListSecrets, Weight: 0.5, Count: 1, MaxResults: 10},
			{Op: ListSecretVersions, Weight: 1, Name: "versioned", Count: 1},
		},
		Expect: []Expectation{
			{Check: CheckOnset, Tolerance: 0.01},
			{Check: CheckNoEarlyThrottle},
			{Check: CheckGoodput, Stage: 3, Tolerance: 0.02},
			{Check: CheckErrorShape},
		},
	}
	assert.Equal(t, want, s)
	assert.Equal(t, 45*time.Second, s.Duration())
	assert.Equal(t, limits.SecretsCreate, classOf(s.Mix[1]))
	assert.Equal(t, limits.Secrets, classOf(s.Mix[0]))
	assert.Equal(t, limits.Secrets, classOf(s.Mix[2]))
	assert.Equal(t, "onset-49", s.Mix[0].NameAt(49))
	assert.Equal(t, "versioned", s.Setup[1].NameAt(2))
}

func TestDefaults(t *testing.T) {
	s, err := Parse("dir/my-scenario.yaml", []byte(`
setup: [{op: set-secret, name: a}]
stages: [{duration: 1m, rate: 80%}]
mix: [{op: get-secret, name: a}, {op: set-secret, name: "b-{i}", count: 2}]
`))
	require.NoError(t, err)
	assert.Equal(t, "my-scenario", s.Name)
	assert.Equal(t, limits.DefaultProfile, s.Profile)
	assert.Empty(t, s.Window, "no window: judged under any model")
	assert.Empty(t, s.Target)
	assert.Zero(t, s.Seed)
	assert.Nil(t, s.Limits)
	assert.Nil(t, s.Expect)
	assert.Equal(t, SetupStep{Op: SetSecret, Count: 1, Name: "a", Size: DefaultSize}, s.Setup[0])
	assert.Equal(t, Op{Op: GetSecret, Weight: 1, Name: "a", Count: 1}, s.Mix[0])
	assert.Equal(t, Op{Op: SetSecret, Weight: 1, Name: "b-{i}", Count: 2, Size: DefaultSize}, s.Mix[1])
	assert.Nil(t, s.Stages[0].To)
}

// TestBadFiles feeds one mistake per file. The line the error must name is
// marked "#<" in the file, so the table stays right when cases change.
func TestBadFiles(t *testing.T) {
	const stages = "stages: [{duration: 10s, rate: 10}]\n"
	const mix = "mix: [{op: list-secrets}]\n"
	for _, tc := range []struct {
		name, file, field, msg string
	}{
		{"rate is a word", "mix: [{op: list-secrets}]\nstages:\n  - duration: 10s\n    rate: 50%\n  - duration: 5s\n    rate: fast #<\n",
			"stages[1].rate", `"fast" is not a rate (want a number of requests/s or a percentage of the limit such as 80%)`},
		{"typo at the top", mix + stages + "stagse: [] #<\n", "stagse", `unknown field; did you mean "stages"?`},
		{"typo in a stage", mix + "stages:\n  - {duration: 10s, rtae: 5} #<\n", "stages[0].rtae", `unknown field; did you mean "rate"? (known: duration, rate, to)`},
		{"no duration", mix + "stages:\n  - {rate: 5} #<\n", "stages[0].duration", "missing: say how long the stage lasts"},
		{"no rate", mix + "stages:\n  - duration: 10s #<\n", "stages[0].rate", "missing: say what load"},
		{"duration without unit", mix + "stages:\n  - {duration: 10, rate: 5} #<\n", "stages[0].duration", `"10" is not a duration (want a Go duration such as 30s or 1m30s)`},
		{"negative duration", mix + "stages:\n  - {duration: -5s, rate: 5} #<\n", "stages[0].duration", "-5s is not a positive duration"},
		{"negative rate", mix + "stages:\n  - {duration: 5s, rate: -5} #<\n", "stages[0].rate", "-5 requests/s is out of range"},
		{"double percent", mix + "stages:\n  - {duration: 5s, rate: 50%%} #<\n", "stages[0].rate", `"50%%" is not a rate`},
		{"infinite rate", mix + "stages:\n  - {duration: 5s, rate: .inf} #<\n", "stages[0].rate", `".inf" is not a rate`},
		{"huge percentage", mix + "stages:\n  - {duration: 5s, rate: 20000%} #<\n", "stages[0].rate", "20000% is out of range (0% to 10000% of the limit)"},
		{"ramp to a word", mix + "stages:\n  - {duration: 5s, rate: 1, to: lots} #<\n", "stages[0].to", `"lots" is not a rate`},
		{"no value", mix + "stages:\n  - duration: 5s\n    rate: #<\n", "stages[0].rate", "has no value"},
		{"longer than an hour", mix + "stages:\n  - {duration: 40m, rate: 1}\n  - {duration: 30m, rate: 1} #<\n", "stages[1].duration", "the stages add up to more than 1h0m0s"},
		{"no load at all", mix + "stages: #<\n  - {duration: 5s, rate: 0}\n  - {duration: 5s, rate: 0%, to: 0}\n", "stages", "the stages offer no requests"},
		{"too fast once resolved", mix + "limits: {secrets: 9000000}\nstages:\n  - {duration: 5s, rate: 50%} #<\n", "stages[0].rate", "50% is 450000 requests/s against profile 2025, more than the 100000"},
		{"stages not a list", mix + "stages: {duration: 5s, rate: 1} #<\n", "stages", "want a list of stages"},
		{"stages empty", mix + "stages: [] #<\n", "stages", "at least one stage"},
		{"a stage is a scalar", mix + "stages:\n  - 10s #<\n", "stages[0]", `want a stage with the fields duration, rate, to, got the value "10s"`},
		{"no stages", "mix: [{op: list-secrets}] #<\n", "stages", "missing: a scenario needs at least one stage"},
		{"no mix", "stages: [{duration: 1s, rate: 1}] #<\n", "mix", "missing: a scenario needs at least one operation"},
		{"mix empty", stages + "mix: [] #<\n", "mix", "at least one operation"},
		{"unknown op", stages + "mix:\n  - {op: get-secrte, name: a} #<\n", "mix[0].op", `unknown operation "get-secrte"; did you mean "get-secret"?`},
		{"no op", stages + "mix:\n  - {weight: 1} #<\n", "mix[0].op", "missing: say which operation"},
		{"zero weight", stages + "mix:\n  - {op: list-secrets, weight: 0} #<\n", "mix[0].weight", "0 is not a positive weight"},
		{"weight is a word", stages + "mix:\n  - {op: list-secrets, weight: heavy} #<\n", "mix[0].weight", `"heavy" is not a weight`},
		{"bad name character", stages + "mix:\n  - {op: set-secret, name: \"bad_name-{i}\", count: 2} #<\n", "mix[0].name", `"bad_name-{i}" is not a valid name pattern: '_' is not allowed (Key Vault names use only 0-9, a-z, A-Z and -)`},
		{"other placeholder", stages + "mix:\n  - {op: set-secret, name: \"a-{j}\"} #<\n", "mix[0].name", "the only placeholder is {i}"},
		{"name too long", stages + "mix:\n  - {op: set-secret, name: \"" + strings.Repeat("a", 125) + "{i}\", count: 1000} #<\n", "mix[0].name", "expands to names of up to 128 characters, more than the 127 Key Vault allows"},
		{"empty name", stages + "mix:\n  - {op: set-secret, name: \"\"} #<\n", "mix[0].name", "is empty"},
		{"no name", stages + "mix:\n  - {op: get-secret} #<\n", "mix[0].name", "missing: say which secret"},
		{"{i} without count", stages + "mix:\n  - {op: set-secret, name: \"a-{i}\"} #<\n", "mix[0].count", "missing: the name uses {i}"},
		{"zero count", stages + "mix:\n  - {op: set-secret, name: \"a-{i}\", count: 0} #<\n", "mix[0].count", "0 is out of range (1 to 100000)"},
		{"fractional count", stages + "mix:\n  - {op: set-secret, name: \"a-{i}\", count: 2.5} #<\n", "mix[0].count", `"2.5" is not a whole number`},
		{"count without {i}", stages + "mix:\n  - {op: set-secret, name: a, count: 5} #<\n", "mix[0].count", `count 5 has no effect without {i} in the name "a"`},
		{"name on list-secrets", stages + "mix:\n  - {op: list-secrets, name: a} #<\n", "mix[0].name", "list-secrets lists the whole vault and takes no name"},
		{"size on a read", "setup: [{op: set-secret, name: a}]\n" + stages + "mix:\n  - {op: get-secret, name: a, size: 5} #<\n", "mix[0].size", "only set-secret sends a value; get-secret takes no size"},
		{"size too big", stages + "mix:\n  - {op: set-secret, name: a, size: 30000} #<\n", "mix[0].size", "30000 is out of range (1 to 25600)"},
		{"max-results on a read", "setup: [{op: set-secret, name: a}]\n" + stages + "mix:\n  - {op: get-secret, name: a, max-results: 5} #<\n", "mix[0].max-results", "only list operations take max-results"},
		{"page too large", stages + "mix:\n  - {op: list-secrets, max-results: 26} #<\n", "mix[0].max-results", "26 is out of range (1 to 25)"},
		{"read not set up", "setup:\n  - {op: set-secret, name: \"s-{i}\", count: 10}\n" + stages + "mix:\n  - {op: get-secret, name: \"s-{i}\", count: 20} #<\n",
			"mix[0].name", `get-secret of "s-10" would answer 404: no set-secret setup step creates it (the setup must create "s-{i}" for every {i} from 0 to 19)`},
		{"read with no setup", stages + "mix:\n  - {op: list-secret-versions, name: v} #<\n", "mix[0].name", `list-secret-versions of "v" would answer 404: no set-secret setup step creates it (add setup: [{op: set-secret, name: "v", count: 1}])`},
		{"delete what is read", "setup: [{op: set-secret, name: \"s-{i}\", count: 10}]\n" + stages + "mix:\n  - {op: get-secret, name: \"s-{i}\", count: 5}\n  - {op: delete-secret, name: \"s-{i}\", count: 10} #<\n",
			"mix[1].name", `deletes "s-0", which mix[0] (get-secret) uses too`},
		{"more deletes than secrets", "setup: [{op: set-secret, name: \"d-{i}\", count: 10}]\n" + stages + "mix:\n  - {op: list-secrets, weight: 3}\n  - {op: delete-secret, name: \"d-{i}\", count: 10} #<\n",
			"mix[1].count", "the stages send about 25 deletes, more than the 10 secrets this entry deletes (each can be deleted once; the rest would answer 404): raise count, and the setup's with it, to 28 or more"},
		{"setup that reads", stages + mix + "setup:\n  - {op: get-secret, name: a} #<\n", "setup[0].op", "get-secret cannot set up a vault; setup steps are set-secret"},
		{"setup size zero", stages + mix + "setup:\n  - {op: set-secret, name: a, size: 0} #<\n", "setup[0].size", "0 is out of range (1 to 25600)"},
		{"setup typo", stages + mix + "setup:\n  - {op: set-secret, nmae: a} #<\n", "setup[0].nmae", `did you mean "name"?`},
		{"setup too large", stages + mix + "setup:\n  - {op: set-secret, name: \"a-{i}\", count: 60000}\n  - {op: set-secret, name: \"b-{i}\", count: 60000} #<\n", "setup[1].count", "the setup creates more than 100000 secrets in all"},
		{"unknown check", stages + mix + "expect:\n  - {check: onest} #<\n", "expect[0].check", `unknown check "onest"; did you mean "onset"?`},
		{"no check", stages + mix + "expect:\n  - {tolerance: 1%} #<\n", "expect[0].check", "missing: say which check"},
		{"tolerance 1", stages + mix + "expect:\n  - {check: onset, tolerance: 1} #<\n", "expect[0].tolerance", "1 would be 100%; write 1% for 1 percent"},
		{"tolerance zero", stages + mix + "expect:\n  - {check: onset, tolerance: 0%} #<\n", "expect[0].tolerance", "0% is out of range"},
		{"tolerance a word", stages + mix + "expect:\n  - {check: onset, tolerance: tight} #<\n", "expect[0].tolerance", `"tight" is not a tolerance`},
		{"stage on onset", stages + mix + "expect:\n  - {check: onset, stage: 1} #<\n", "expect[0].stage", "only goodput looks at one stage"},
		{"goodput stage out of range", stages + mix + "expect:\n  - {check: goodput, stage: 4} #<\n", "expect[0].stage", "there is no stage 4: the scenario has 1 (numbered from 1)"},
		{"goodput stage zero", stages + mix + "expect:\n  - {check: goodput, stage: 0} #<\n", "expect[0].stage", "0 is out of range"},
		{"check twice", stages + mix + "expect:\n  - {check: onset}\n  - {check: onset, tolerance: 2%} #<\n", "expect[1].check", "onset is already expected by expect[0]"},
		{"unknown profile", stages + mix + "profile: 2019 #<\n", "profile", `unknown limits profile "2019" (known: 2018, 2021, 2025)`},
		{"unknown window", stages + mix + "window: rolling #<\n", "window", `unknown window model "rolling" (known: sliding, fixed, token-bucket, any)`},
		{"target not a vault URL", stages + mix + "target: ftp://vault #<\n", "target", `"ftp://vault" is not a vault URL`},
		{"unknown class", stages + mix + "limits:\n  secrtes: 10 #<\n", "limits.secrtes", `unknown transaction class "secrtes"`},
		{"zero limit", stages + mix + "limits:\n  secrets: 0 #<\n", "limits.secrets", "0 is out of range"},
		{"class twice", stages + mix + "limits:\n  secrets: 10\n  SECRETS: 20 #<\n", "limits.SECRETS", "set twice (first on line"},
		{"limits a list", stages + mix + "limits: [secrets] #<\n", "limits", "want a mapping of transaction class to limit"},
		{"seed a word", stages + mix + "seed: lucky #<\n", "seed", `"lucky" is not a whole number`},
		{"no clients", stages + mix + "clients: 0 #<\n", "clients", "0 is out of range"},
		{"too many clients", stages + mix + "clients: 51 #<\n", "clients", "51 is out of range"},
		{"bad name", stages + mix + "name: my run #<\n", "name", `"my run" is not a usable name`},
		{"field twice", stages + mix + "seed: 1\nseed: 2 #<\n", "seed", "set twice (first on line"},
		{"list where a value goes", stages + mix + "description: [a, b] #<\n", "description", "want a single value, got a list"},
		{"merge of a list of scalars", stages + mix + "x-base: &b [1, 2] #<\nexpect:\n  - {<<: *b, check: onset}\n", "expect[0]", "a merge (<<) wants a mapping or a list of mappings, got the value \"1\""},
		{"alias of the wrong kind", stages + "x-name: &n get-secret #<\nmix: *n\n", "mix", `want a list of operations (lines starting with "- "), got the value "get-secret"`},
		{"second document", stages + mix + "---\nname: two #<\n", "", "a second YAML document starts here"},
		{"syntax error", stages + mix + "seed 2 #<\nname: x\n", "", "invalid YAML: could not find expected ':'"},
		{"tab indentation", stages + "mix:\n\t- {op: list-secrets} #<\n", "", "invalid YAML: found character that cannot start any token"},
		{"root is a list", "- {duration: 1s} #<\n", "", "a scenario is a mapping of fields (name:, stages:, mix:, ...), got a list"},
		{"root is a word", "hello #<\n", "", `got the value "hello"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := 0
			for i, l := range strings.Split(tc.file, "\n") {
				if strings.Contains(l, "#<") {
					line = i + 1
				}
			}
			require.NotZero(t, line, "mark the line the error must name with #<")
			_, err := Parse("t.yaml", []byte(tc.file))
			require.Error(t, err)
			var e *Error
			require.True(t, errors.As(err, &e), "want *Error, got %T: %v", err, err)
			assert.Equal(t, "t.yaml", e.File)
			assert.Equal(t, line, e.Line, "%v", err)
			assert.Equal(t, tc.field, e.Field, "%v", err)
			assert.Contains(t, e.Msg, tc.msg)
		})
	}
}

func TestErrorPrintsFileLineColumnField(t *testing.T) {
	file := "name: x\nmix: [{op: list-secrets}]\nstages:\n  - duration: 10s\n    rate: 50%\n  - duration: 5s\n    rate: fast\n"
	_, err := Parse("scenarios/x.yaml", []byte(file))
	require.Error(t, err)
	assert.Equal(t, `scenarios/x.yaml:7:11: stages[1].rate: "fast" is not a rate (want a number of requests/s or a percentage of the limit such as 80%)`, err.Error())

	assert.Equal(t, "f.yaml: m", (&Error{File: "f.yaml", Msg: "m"}).Error())
	assert.Equal(t, "f.yaml:3: m", (&Error{File: "f.yaml", Line: 3, Msg: "m"}).Error())
	assert.Equal(t, "a.b: m", (&Error{Field: "a.b", Msg: "m"}).Error())
}

func TestEmptyFiles(t *testing.T) {
	for _, data := range []string{"", "   \n\n", "# only a comment\n", "---\n", "~\n", "null\n"} {
		_, err := Parse("e.yaml", []byte(data))
		require.Error(t, err, "%q", data)
		assert.Equal(t, "e.yaml: the file is empty; a scenario needs at least stages: and mix:", err.Error(), "%q", data)
	}
}

func TestAnchorsAliasesAndMergeKeys(t *testing.T) {
	s, err := Parse("a.yaml", []byte(`
x-defaults:
  read: &read {op: get-secret, name: "app-{i}", count: 20}
  stage: &steady {duration: 10s, rate: 40%}
setup:
  - {op: set-secret, name: "app-{i}", count: 20, size: &size 64}
stages:
  - *steady
  - {<<: *steady, to: 80%}
  - <<: [*steady]
    duration: 5s
mix:
  - {<<: *read, weight: 3}
  - <<: *read
  - {op: set-secret, name: "w-{i}", count: 2, size: *size}
`))
	require.NoError(t, err)
	eighty := Rate{OfLimit: 0.8, Relative: true}
	forty := Rate{OfLimit: 0.4, Relative: true}
	assert.Equal(t, []Stage{
		{Duration: 10 * time.Second, Rate: forty},
		{Duration: 10 * time.Second, Rate: forty, To: &eighty},
		{Duration: 5 * time.Second, Rate: forty},
	}, s.Stages)
	assert.Equal(t, []Op{
		{Op: GetSecret, Weight: 3, Name: "app-{i}", Count: 20},
		{Op: GetSecret, Weight: 1, Name: "app-{i}", Count: 20},
		{Op: SetSecret, Weight: 1, Name: "w-{i}", Count: 2, Size: 64},
	}, s.Mix)
	assert.Equal(t, 64, s.Setup[0].Size)

	// A typo inside an anchor is found where the anchor is written.
	_, err = Parse("a.yaml", []byte("x-d: &d {duration: 1s, rtae: 1}\nstages: [*d]\nmix: [{op: list-secrets}]\n"))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Line)
	assert.Equal(t, "stages[0].rtae", e.Field)
}

func TestAliasBombIsRefused(t *testing.T) {
	// Each level merges the one before twice: 2^30 fields if expanded naively.
	var b strings.Builder
	b.WriteString("x-l0: &l0 {duration: 1s, rate: 1}\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "x-l%d: &l%d {<<: [*l%d, *l%d]}\n", i, i, i-1, i-1)
	}
	b.WriteString("stages: [*l30]\nmix: [{op: list-secrets}]\n")
	start := time.Now()
	_, err := Parse("bomb.yaml", []byte(b.String()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds more than 100000 YAML values")
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestParseValues(t *testing.T) {
	for in, want := range map[string]Rate{
		"300":     {PerSecond: 300},
		" 12.5 ":  {PerSecond: 12.5},
		"300/s":   {PerSecond: 300},
		"0":       {},
		"80%":     {OfLimit: 0.8, Relative: true},
		"150 %":   {OfLimit: 1.5, Relative: true},
		"0.5%":    {OfLimit: 0.005, Relative: true},
		"10000%":  {OfLimit: 100, Relative: true},
		"100000":  {PerSecond: 100000},
		"1e3":     {PerSecond: 1000},
		"7.5e1 %": {OfLimit: 0.75, Relative: true},
	} {
		got, err := ParseRate(in)
		require.NoError(t, err, in)
		assert.InDelta(t, want.PerSecond, got.PerSecond, 1e-12, in)
		assert.InDelta(t, want.OfLimit, got.OfLimit, 1e-12, in)
		assert.Equal(t, want.Relative, got.Relative, in)
	}
	for _, in := range []string{"", "fast", "%", "80%%", "NaN", "inf", "0x10", "1_000", "100001", "-1", "-1%", "10001%", "300/m"} {
		_, err := ParseRate(in)
		assert.Error(t, err, in)
	}
	assert.Equal(t, "80%", Rate{OfLimit: 0.8, Relative: true}.String())
	assert.Equal(t, "300/s", Rate{PerSecond: 300}.String())
	assert.InDelta(t, 320.0, Rate{OfLimit: 0.8, Relative: true}.Resolve(400), 1e-9)
	assert.Equal(t, 300.0, Rate{PerSecond: 300}.Resolve(400))

	for in, want := range map[string]float64{"1%": 0.01, "0.01": 0.01, "2.5%": 0.025, "0.5": 0.5, "99%": 0.99} {
		got, err := ParseTolerance(in)
		require.NoError(t, err, in)
		assert.InDelta(t, want, got, 1e-12, in)
	}
	for _, in := range []string{"0", "0%", "1", "100%", "5", "-1%", "tight", "", "NaN%"} {
		_, err := ParseTolerance(in)
		assert.Error(t, err, in)
	}
}
