package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionPrintsTheBuild(t *testing.T) {
	code, out, _ := run(t, "version")
	require.Equal(t, exitPass, code)
	lines := strings.Split(out, "\n")
	assert.Equal(t, "kvquota devel", lines[0], "a test binary is a checkout's build")
	assert.Contains(t, out, "go      "+runtime.Version()+"\n")

	code, _, errOut := run(t, "version", "extra")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `unknown command "extra"`)
}

// TestVersionNamesTheCommitOfAStampedBuild builds kvquota from this checkout
// with VCS stamping on (the toolchain's default in a git checkout; a GOFLAGS
// of -buildvcs=false turns it off) and reads the commit back.
func TestVersionNamesTheCommitOfAStampedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kvquota")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout (%v)", err)
	}
	if fi, err := os.Stat("../../.git"); err != nil || !fi.IsDir() {
		t.Skip("a git worktree (.git is a file): the go command stamps the commit only where .git is a directory")
	}
	bin := filepath.Join(t.TempDir(), "kvquota")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	out, err = exec.Command(bin, "version").Output()
	require.NoError(t, err)
	rev := strings.TrimSpace(string(head))
	// Go 1.24 on stamps a checkout's build with a pseudo-version of its
	// commit (+dirty with uncommitted changes) where it used to say (devel).
	assert.Regexp(t, `^kvquota v0\.0\.0-\d{14}-`+rev[:12]+`(\+dirty)?\ncommit  `+rev+`(, with uncommitted changes)?\ndate    \S+\ngo      go1\.\S+\nvegeta  v12\.`, string(out))
}

func TestCompletionScripts(t *testing.T) {
	for shell, first := range map[string]string{
		"bash":       "# bash completion V2 for kvquota",
		"zsh":        "#compdef kvquota",
		"fish":       "# fish completion for kvquota",
		"powershell": "# powershell completion for kvquota",
	} {
		code, out, errOut := run(t, "completion", shell)
		require.Equal(t, exitPass, code, "%s: %s", shell, errOut)
		assert.True(t, strings.HasPrefix(out, first), "%s: the script begins %q", shell, strings.SplitN(out, "\n", 2)[0])
		assert.Contains(t, out, "kvquota", shell)
	}
	code, _, errOut := run(t, "completion", "tcsh")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `no script for shell "tcsh" (want bash, zsh, fish or powershell)`)

	code, out, _ := run(t, "completion")
	assert.Equal(t, exitPass, code)
	assert.Contains(t, out, "Generate the autocompletion script", "no shell: the help")
}

func TestManPagesOnePerCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1")
	code, _, errOut := run(t, "man", dir)
	require.Equal(t, exitPass, code, errOut)
	page, err := os.ReadFile(filepath.Join(dir, "kvquota-run.1"))
	require.NoError(t, err)
	assert.Contains(t, string(page), `.TH "KVQUOTA" "1"`)
	assert.Contains(t, string(page), "kvquota-run")
	assert.Contains(t, string(page), `\fB--limit\fP`, "the run command's flags are in its page")
	for _, p := range []string{"kvquota.1", "kvquota-emulate.1", "kvquota-version.1", "kvquota-completion-bash.1"} {
		assert.FileExists(t, filepath.Join(dir, p))
	}

	code, _, errOut = run(t, "man")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "accepts 1 arg")
}
