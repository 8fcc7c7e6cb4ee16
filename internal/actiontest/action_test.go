package actiontest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestActionPassesAPassingScenario: secrets-below-limit against the embedded
// emulator passes; the job summary holds the run's verdict table, the step's
// outputs name the run directory that is uploaded, and kvquota is on the
// job's PATH for later steps.
func TestActionPassesAPassingScenario(t *testing.T) {
	t.Parallel()
	r := runAction(t, map[string]string{"scenario": "secrets-below-limit", "time-scale": "0.05"})
	require.Equal(t, 0, r.exitCode, r.log)

	assert.Contains(t, r.summary, "## kvquota secrets-below-limit: ✅ PASS")
	assert.Contains(t, r.summary, "| ✅ pass | `no-throttle[secrets]` |")
	assert.Contains(t, r.summary, "throttled (429)")
	assert.NotContains(t, r.summary, "❌")
	assert.Equal(t, map[string]string{"outcome": "pass", "exit-code": "0", "run-dir": "kvquota-runs/secrets-below-limit"}, r.outputs)

	require.Len(t, r.uploads, 2, "setup-go and upload-artifact")
	up := r.uploads[1]
	assert.Equal(t, "actions/upload-artifact@v4", up["uses"])
	assert.Equal(t, "kvquota-run", up["name"])
	assert.Equal(t, "kvquota-runs/secrets-below-limit", up["path"])
	assert.Contains(t, up["if"], "always()", "the run directory is uploaded after a failed verdict too")
	assert.Contains(t, r.log, "kvquota built: ")
	assert.Contains(t, r.log, "outcome: pass (kvquota exited 0)")
}

// TestActionFailsTheJobOnAFailedVerdict: the same scenario against an
// emulator made wrong (--limit halves what it allows) fails the step with
// kvquota's exit code 1, and the summary says which check failed and why.
func TestActionFailsTheJobOnAFailedVerdict(t *testing.T) {
	t.Parallel()
	r := runAction(t, map[string]string{"scenario": "secrets-below-limit", "time-scale": "0.05",
		"extra-args": "--limit secrets=2000", "out-dir": "runs/wrong"})
	require.Equal(t, 1, r.exitCode, r.log)

	assert.Contains(t, r.summary, "## kvquota secrets-below-limit: ❌ FAIL")
	assert.Contains(t, r.summary, "| ❌ **fail** | `no-throttle[secrets]` |")
	assert.Regexp(t, `\*\*no-throttle\[secrets\]\*\*: \d+ of \d+ requests of secrets were throttled`, r.summary)
	assert.Equal(t, map[string]string{"outcome": "fail", "exit-code": "1", "run-dir": "runs/wrong"}, r.outputs)
	assert.Equal(t, "runs/wrong", r.uploads[1]["path"])
}

// TestActionReportsAnErrorWithoutAReport: a scenario that does not exist is
// kvquota's usage error (exit 2), passed on as it is, and the summary says
// there is no report and why.
func TestActionReportsAnErrorWithoutAReport(t *testing.T) {
	t.Parallel()
	r := runAction(t, map[string]string{"scenario": "no-such-scenario", "setup-go": "false"})
	require.Equal(t, 2, r.exitCode, r.log)
	assert.Contains(t, r.summary, "## kvquota: no report")
	assert.Contains(t, r.summary, "exited 2: a usage or scenario error")
	assert.Equal(t, "error", r.outputs["outcome"])
	assert.Equal(t, "2", r.outputs["exit-code"])
	assert.Empty(t, r.outputs["run-dir"], "nothing to upload")
	assert.Contains(t, r.log, "no-such-scenario")
}

// TestActionRefusesABadFailOnInconclusive before running anything.
func TestActionRefusesABadFailOnInconclusive(t *testing.T) {
	t.Parallel()
	r := runAction(t, map[string]string{"scenario": "secrets-below-limit", "fail-on-inconclusive": "yes"})
	assert.Equal(t, 2, r.exitCode, r.log)
	assert.Contains(t, r.log, "fail-on-inconclusive must be true or false, got 'yes'")
}

// TestDecideMapsKvquotasExitCodes: the step's exit code and outcome for each
// of kvquota's exit codes (cmd/kvquota/exit.go), with exit 4 (inconclusive)
// failing the job only when fail-on-inconclusive is true.
func TestDecideMapsKvquotasExitCodes(t *testing.T) {
	t.Parallel()
	script := filepath.Join(repoRoot(t), "scripts", "action-run.sh")
	for _, c := range []struct {
		code, failInconclusive, outcome string
		exit                            int
	}{
		{"0", "true", "pass", 0},
		{"1", "false", "fail", 1},
		{"4", "true", "inconclusive", 4},
		{"4", "false", "inconclusive", 0},
		{"2", "true", "error", 2},
		{"3", "false", "error", 3},
		{"130", "true", "error", 130},
	} {
		cmd := exec.Command("bash", "-c", `source "$0"; decide "$1" "$2"`, script, c.code, c.failInconclusive)
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		assert.Equal(t, c.outcome, strings.TrimSpace(string(out)), "exit %s, fail-on-inconclusive %s", c.code, c.failInconclusive)
		assert.Equal(t, c.exit, code, "exit %s, fail-on-inconclusive %s", c.code, c.failInconclusive)
	}
}

// TestEveryInputReachesTheScript: each declared input is used by a step, the
// run step hands the script every INPUT_ variable it reads (and only as
// ${{ inputs.x }} in env, never spliced into a command), and each output
// comes from the run step.
func TestEveryInputReachesTheScript(t *testing.T) {
	t.Parallel()
	a := loadAction(t)
	var run *step
	used := map[string]bool{}
	for i, s := range a.Runs.Steps {
		text := s.If + s.Run
		for _, v := range s.Env {
			text += v
		}
		for _, v := range s.With {
			text += v
		}
		for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(text, -1) {
			used[m[1]] = true
		}
		assert.NotContains(t, s.Run, "${{", "step %q splices an expression into its command", s.Name)
		if s.ID == "run" {
			run = &a.Runs.Steps[i]
		}
	}
	for name := range a.Inputs {
		assert.True(t, used[name], "input %q is declared but no step uses it", name)
	}
	require.NotNil(t, run, "a step with id run")
	assert.Contains(t, run.Run, `scripts/action-run.sh" run`)

	b, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "action-run.sh"))
	require.NoError(t, err)
	var read []string
	for _, m := range regexp.MustCompile(`INPUT_[A-Z_]+`).FindAllString(string(b), -1) {
		if !slices.Contains(read, m) {
			read = append(read, m)
		}
	}
	require.NotEmpty(t, read)
	for _, v := range read {
		input := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(v, "INPUT_")), "_", "-")
		assert.Equal(t, "${{ inputs."+input+" }}", run.Env[v], "the run step maps input %q to $%s", input, v)
	}
	for name, o := range a.Outputs {
		assert.Equal(t, "${{ steps.run.outputs."+name+" }}", o.Value)
	}
}
