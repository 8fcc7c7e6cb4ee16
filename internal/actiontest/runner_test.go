package actiontest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/kvquota/kvquota/internal/testmain"
)

// action is the part of action.yml a runner reads.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

// runnerTemp is $RUNNER_TEMP, shared by the jobs of one test process as by
// the jobs of one self-hosted runner: the install step then builds kvquota
// once and finds it up to date after (go install relinks only on a change).
var runnerTemp string

// TestMain installs kvquota into runnerTemp once, before the tests, as a
// runner's earlier job would have: the tests run side by side, and two
// install steps linking into one directory at once could replace the binary
// under a job that is running it. Each job's install step still runs, and
// finds it up to date. A failure here is not fatal: the install steps then
// fail in the tests, which say why.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "actiontest-runner-temp-")
	if err != nil {
		panic(err)
	}
	runnerTemp = dir
	install := exec.Command("bash", filepath.Join("..", "..", "scripts", "action-run.sh"), "install")
	install.Env = append(os.Environ(), "RUNNER_TEMP="+runnerTemp)
	_ = install.Run()
	code := m.Run()
	os.RemoveAll(dir)
	testmain.Exit(code)
}

// repoRoot is where action.yml is: the action's path.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	return root
}

func loadAction(t *testing.T) action {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	require.NoError(t, err)
	var a action
	require.NoError(t, yaml.Unmarshal(b, &a))
	require.Equal(t, "composite", a.Runs.Using)
	return a
}

// job is one use of the action: its inputs, and what the runner's files held
// after it.
type job struct {
	t         *testing.T
	act       action
	inputs    map[string]string
	root      string
	workspace string
	dir       string // the job's own files: step scripts and outputs
	summary   string
	pathFile  string
	outputs   map[string]map[string]string // step id -> output -> value
	paths     []string
}

// result is how the job ended.
type result struct {
	exitCode int
	summary  string
	outputs  map[string]string // the action's outputs
	uploads  []map[string]string
	log      string
}

var expr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// eval replaces each ${{ ... }} in s. It knows what the action uses: inputs,
// github.action_path and steps.ID.outputs.NAME; anything else fails the test,
// so the action stays within what this runner checks.
func (j *job) eval(s string) string {
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		switch {
		case strings.HasPrefix(e, "inputs."):
			name := strings.TrimPrefix(e, "inputs.")
			in, ok := j.act.Inputs[name]
			require.True(j.t, ok, "action.yml uses undeclared input %q", name)
			if v, given := j.inputs[name]; given {
				return v
			}
			return in.Default
		case e == "github.action_path":
			return j.root
		case strings.HasPrefix(e, "steps."):
			parts := strings.Split(e, ".")
			require.Len(j.t, parts, 4, "expression %q", e)
			require.Equal(j.t, "outputs", parts[2], "expression %q", e)
			return j.outputs[parts[1]][parts[3]]
		}
		j.t.Fatalf("action.yml uses an expression this test does not evaluate: %s", m)
		return ""
	})
}

// runAction runs the action's steps in order as a runner would, until a
// `run:` step fails; `uses:` steps are recorded with their evaluated inputs.
func runAction(t *testing.T, inputs map[string]string) result {
	t.Helper()
	for name := range inputs {
		_, ok := loadAction(t).Inputs[name]
		require.True(t, ok, "the test gives undeclared input %q", name)
	}
	dir := t.TempDir()
	j := &job{t: t, act: loadAction(t), inputs: inputs, root: repoRoot(t),
		workspace: filepath.Join(dir, "workspace"), dir: dir,
		summary: filepath.Join(dir, "step-summary.md"), pathFile: filepath.Join(dir, "path"),
		outputs: map[string]map[string]string{}}
	require.NoError(t, os.MkdirAll(j.workspace, 0o755))
	var r result
	var log strings.Builder
	for i, s := range j.act.Runs.Steps {
		if s.Uses != "" {
			with := map[string]string{"uses": s.Uses, "if": s.If}
			for k, v := range s.With {
				with[k] = j.eval(v)
			}
			r.uploads = append(r.uploads, with)
			continue
		}
		if r.exitCode != 0 {
			continue // a failed step skips the `run:` steps after it
		}
		require.Empty(t, s.If, "step %q: this test runs `run:` steps unconditionally", s.Name)
		require.Equal(t, "bash", s.Shell, "step %q", s.Name)
		r.exitCode = j.runStep(i, s, &log)
	}
	r.log = log.String()
	b, err := os.ReadFile(j.summary)
	if err == nil {
		r.summary = string(b)
	}
	r.outputs = map[string]string{}
	for name, o := range j.act.Outputs {
		r.outputs[name] = j.eval(o.Value)
	}
	return r
}

// runStep runs one `run:` step as GitHub's bash shell does
// (bash --noprofile --norc -eo pipefail FILE) and returns its exit code.
func (j *job) runStep(i int, s step, log *strings.Builder) int {
	t := j.t
	script := filepath.Join(j.dir, "step"+strconv.Itoa(i)+".sh")
	require.NoError(t, os.WriteFile(script, []byte(j.eval(s.Run)), 0o644))
	outFile := filepath.Join(j.dir, "output"+strconv.Itoa(i))
	require.NoError(t, os.WriteFile(outFile, nil, 0o644))

	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = j.workspace
	path := strings.Join(append(append([]string{}, j.paths...), os.Getenv("PATH")), string(os.PathListSeparator))
	cmd.Env = append(os.Environ(), "PATH="+path,
		"GITHUB_ACTION_PATH="+j.root, "GITHUB_WORKSPACE="+j.workspace, "RUNNER_TEMP="+runnerTemp,
		"GITHUB_STEP_SUMMARY="+j.summary, "GITHUB_OUTPUT="+outFile, "GITHUB_PATH="+j.pathFile)
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+j.eval(v))
	}
	out, err := cmd.CombinedOutput()
	log.WriteString("== " + s.Name + "\n" + string(out))
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "step %q did not run: %v", s.Name, err)
		code = ee.ExitCode()
	}
	if s.ID != "" {
		j.outputs[s.ID] = readOutputs(t, outFile)
	}
	if b, err := os.ReadFile(j.pathFile); err == nil {
		j.paths = nil
		for _, p := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			j.paths = append([]string{p}, j.paths...) // later lines come first, as on a runner
		}
	}
	return code
}

// readOutputs parses a GITHUB_OUTPUT file: name=value lines (the multi-line
// name<<DELIMITER form is not used by the action, and fails here).
func readOutputs(t *testing.T, file string) map[string]string {
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, "GITHUB_OUTPUT line %q is not name=value", line)
		m[k] = v
	}
	return m
}
