package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

func TestBuiltinsLoadAndExpandToTheirSchedules(t *testing.T) {
	p2021 := limits.MustGet("2021")
	want := map[string]struct {
		spans  []Span
		checks []CheckName
	}{
		// get-secret alone under 2021: 4000 per 10 s = 400 requests/s.
		"secrets-onset": {
			spans: []Span{
				{Stage: 1, From: 0, To: 10 * time.Second, StartRate: 200, EndRate: 200},
				{Stage: 2, From: 10 * time.Second, To: 40 * time.Second, StartRate: 200, EndRate: 800},
				{Stage: 3, From: 40 * time.Second, To: 50 * time.Second, StartRate: 800, EndRate: 800},
			},
			checks: []CheckName{CheckOnset, CheckNoEarlyThrottle, CheckErrorShape},
		},
		// the same ramp, from four clients in turn (clients: 4).
		"secrets-clients-onset": {
			spans: []Span{
				{Stage: 1, From: 0, To: 10 * time.Second, StartRate: 200, EndRate: 200},
				{Stage: 2, From: 10 * time.Second, To: 40 * time.Second, StartRate: 200, EndRate: 800},
				{Stage: 3, From: 40 * time.Second, To: 50 * time.Second, StartRate: 800, EndRate: 800},
			},
			checks: []CheckName{CheckOnset, CheckNoEarlyThrottle, CheckErrorShape},
		},
		"secrets-below-limit": {
			spans:  []Span{{Stage: 1, From: 0, To: 30 * time.Second, StartRate: 320, EndRate: 320}},
			checks: []CheckName{CheckNoThrottle},
		},
		"secrets-overload": {
			spans:  []Span{{Stage: 1, From: 0, To: 30 * time.Second, StartRate: 800, EndRate: 800}},
			checks: []CheckName{CheckGoodput, CheckNoEarlyThrottle, CheckErrorShape},
		},
		"auth-conformance": {
			spans:  []Span{{Stage: 1, From: 0, To: 3 * time.Second, StartRate: 20, EndRate: 20}},
			checks: []CheckName{CheckAuth},
		},
	}
	require.Equal(t, []string{"auth-conformance", "secrets-below-limit", "secrets-clients-onset", "secrets-onset", "secrets-overload"}, withoutQuotaRows(BuiltinNames()))
	for _, name := range withoutQuotaRows(BuiltinNames()) { // the quota rows' built-ins: builtin_rows_test.go
		t.Run(name, func(t *testing.T) {
			s, err := Builtin(name)
			require.NoError(t, err)
			w, ok := want[name]
			require.True(t, ok, "a new built-in needs an entry in this test")
			assert.Equal(t, name, s.Name)
			assert.Equal(t, "builtin:"+name, s.Source)
			assert.NotEmpty(t, s.Description)
			assert.Equal(t, "2021", s.Profile)
			assert.Empty(t, s.Window, "built-ins are judged under any window model")
			assert.Equal(t, int64(1), s.Seed)
			if name == "secrets-clients-onset" {
				assert.Equal(t, 4, s.Clients)
			} else {
				assert.Zero(t, s.Clients, "one client")
			}
			p, err := s.LimitsProfile()
			require.NoError(t, err)
			assert.InDelta(t, 400.0, s.MixLimitRate(p), 1e-9)
			spans := s.Schedule(p2021)
			require.Len(t, spans, len(w.spans))
			for i := range spans {
				assert.Equal(t, w.spans[i].Stage, spans[i].Stage)
				assert.Equal(t, w.spans[i].From, spans[i].From)
				assert.Equal(t, w.spans[i].To, spans[i].To)
				assert.InDelta(t, w.spans[i].StartRate, spans[i].StartRate, 1e-9, "span %d", i)
				assert.InDelta(t, w.spans[i].EndRate, spans[i].EndRate, 1e-9, "span %d", i)
			}
			assert.Equal(t, w.spans[len(w.spans)-1].To, s.Duration())
			var checks []CheckName
			for _, x := range s.Expect {
				checks = append(checks, x.Check)
			}
			assert.Equal(t, w.checks, checks)
			if s.IsAuthProbe() {
				return // reads no secret it needs to exist
			}
			// Every built-in reads only what its setup creates, 50 small secrets.
			require.Len(t, s.Setup, 1)
			assert.Equal(t, SetupStep{Op: SetSecret, Count: 50, Name: s.Mix[0].Name, Size: 32}, s.Setup[0])
		})
	}
}

func TestBuiltinOnsetToleranceAndOverloadGoodput(t *testing.T) {
	s, err := Builtin("secrets-onset")
	require.NoError(t, err)
	assert.Equal(t, Expectation{Check: CheckOnset, Tolerance: 0.01}, s.Expect[0])
	assert.Equal(t, Expectation{Check: CheckNoEarlyThrottle, Tolerance: 0.01}, s.Expect[1])
	// The whole run, setup aside, stays under a minute.
	assert.Equal(t, 50*time.Second, s.Duration())

	s, err = Builtin("secrets-overload")
	require.NoError(t, err)
	assert.Equal(t, Expectation{Check: CheckGoodput, Tolerance: 0.02}, s.Expect[0])
}

func TestBuiltinSourceIsTheYAMLUsersCopy(t *testing.T) {
	src, err := BuiltinSource("secrets-onset")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "copy.yaml")
	require.NoError(t, os.WriteFile(path, src, 0o644))
	s, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, "secrets-onset", s.Name)
	assert.Equal(t, path, s.Source)
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "mine.yml")
	require.NoError(t, os.WriteFile(good, []byte(minimal), 0o644))
	noExt := filepath.Join(dir, "plain")
	require.NoError(t, os.WriteFile(noExt, []byte(minimal), 0o644))

	s, err := Resolve(good)
	require.NoError(t, err)
	assert.Equal(t, "mine", s.Name, "the name defaults to the file's")

	s, err = Resolve(noExt)
	require.NoError(t, err, "an existing file is read whatever its extension")
	assert.Equal(t, "plain", s.Name)

	s, err = Resolve("secrets-overload")
	require.NoError(t, err)
	assert.Equal(t, "builtin:secrets-overload", s.Source)

	// A path that looks like a file is read as one, and its absence said so.
	_, err = Resolve(filepath.Join(dir, "missing.yaml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.yaml: cannot read the scenario: no such file or directory")
	assert.ErrorIs(t, err, os.ErrNotExist)

	// A wrong name lists the built-ins.
	_, err = Resolve("secrets-onest")
	require.Error(t, err)
	assert.Equal(t, "secrets-onest: not a scenario file and not a built-in scenario (built-ins: "+strings.Join(BuiltinNames(), ", ")+")", err.Error())

	_, err = Resolve(dir)
	assert.ErrorContains(t, err, "(it is a directory)")

	_, err = Builtin("../format")
	assert.ErrorContains(t, err, "no built-in scenario of that name")
	_, err = Resolve("")
	assert.ErrorContains(t, err, "no scenario given")
}
