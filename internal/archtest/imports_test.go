package archtest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowed says which of the module's packages each package's non-test code
// may import: the layers of docs/architecture.md, bottom first. A package is
// matched by the longest rule that is it or a parent of it; a rule's list
// names packages or whole trees ("emulator/..."). A package no rule names
// fails the test, so a new package must be placed.
var allowed = map[string][]string{
	// The vocabulary: the documented limits, and scenario files.
	"limits":    {},
	"scenarios": {"limits"},
	// The on-disk run, and what is concluded from it.
	"results": {"limits", "scenarios"},
	"assert":  {"limits", "scenarios", "results"},
	"plots":   {"limits", "results"},
	// The emulated vault: its own tree and the vocabulary only. It never
	// sees the harness that attacks it.
	"emulator":            {"emulator/...", "limits", "internal/uuid"},
	"emulator/standalone": {"emulator/...", "limits", "plan"},
	// Sending load.
	"attack": {"limits", "scenarios", "internal/uuid"},
	// Deciding what a command does.
	"plan": {"limits", "scenarios", "assert", "attack", "emulator"},
	// Carrying it out.
	"internal/embedded": {"attack", "emulator", "emulator/auth"},
	// An emulated vault for other modules' Go tests (public, takes testing.TB).
	"kvtest":      {"emulator/...", "limits"},
	"runner":      {"limits", "scenarios", "results", "assert", "plots", "attack", "emulator/...", "plan", "internal/embedded", "internal/fanout", "internal/version"},
	"discover":    {"limits", "scenarios", "results", "assert", "attack", "emulator", "plan", "internal/embedded", "internal/version"},
	"clientcheck": {"limits", "scenarios", "results", "assert", "emulator/...", "plan"},
	"bench":       {"limits", "scenarios", "results", "attack", "emulator/...", "internal/embedded", "internal/uuid", "kvtest"},
	// Leaves.
	"internal/uuid":       {},
	"internal/version":    {},
	"internal/fanout":     {},
	"internal/testmain":   {},
	"internal/archtest":   {},
	"internal/clientapps": {},
	"internal/actiontest": {},
	"sdktest":             {"emulator/...", "limits", "internal/embedded"},
	// The command parses flags and calls any of the above.
	"cmd/kvquota": {"..."},
}

// rule returns the rule that governs pkg.
func rule(pkg string) ([]string, bool) {
	for p := pkg; ; {
		if r, ok := allowed[p]; ok {
			return r, true
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return nil, false
		}
		p = p[:i]
	}
}

// permits reports whether a rule's list lets a package import imp.
func permits(list []string, imp string) bool {
	for _, a := range list {
		if a == "..." || a == imp {
			return true
		}
		if tree, ok := strings.CutSuffix(a, "/..."); ok && (imp == tree || strings.HasPrefix(imp, tree+"/")) {
			return true
		}
	}
	return false
}

// TestImportRules holds the layers: no package's code imports one above it,
// and nothing but cmd/kvquota imports a command.
func TestImportRules(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range parseTree(t) {
		if f.test {
			continue
		}
		list, ok := rule(f.pkg)
		if !ok {
			if !seen[f.pkg] {
				t.Errorf("package %s is in no import rule: place it in allowed (imports_test.go) and docs/architecture.md", f.pkg)
			}
			seen[f.pkg] = true
			continue
		}
		for _, imp := range f.imports() {
			if imp == f.pkg || strings.HasPrefix(imp, f.pkg+"/") && f.pkg != "." {
				continue // its own tree
			}
			if strings.HasPrefix(imp, "cmd/") || !permits(list, imp) {
				t.Errorf("%s imports %s, which its layer may not (allowed: %s)", f.path, imp, strings.Join(list, ", "))
			}
		}
	}
}

// testingAllowed may import package testing outside tests: kvtest's New
// takes a testing.TB, and bench times kvtest with testing.Benchmark, the
// standard library's benchmark runner for programs.
var testingAllowed = []string{"sdktest", "kvtest", "bench"}

// TestNoTestLibrariesInCode: testify belongs in tests.
func TestNoTestLibrariesInCode(t *testing.T) {
	for _, f := range parseTree(t) {
		if f.test {
			continue
		}
		for _, s := range f.ast.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			if strings.HasPrefix(p, "github.com/stretchr/testify") || p == "testing" && !slices.Contains(testingAllowed, f.pkg) {
				t.Errorf("%s imports %s outside a test", f.path, p)
			}
		}
	}
}

// TestRulesMatchAsDocumented: the matcher itself, on the cases the layers
// rest on.
func TestRulesMatchAsDocumented(t *testing.T) {
	for _, tc := range []struct {
		pkg, imp string
		ok       bool
	}{
		{"results", "limits", true},
		{"results", "assert", false}, // judging belongs with the judge
		{"emulator/quota", "emulator/clock", true},
		{"emulator/quota", "attack", false},
		{"emulator/standalone", "plan", true},
		{"runner", "emulator/access", true},
		{"discover", "runner", false},
		{"cmd/kvquota", "runner", true},
	} {
		list, found := rule(tc.pkg)
		if !found || permits(list, tc.imp) != tc.ok {
			t.Errorf("%s importing %s: want allowed=%v", tc.pkg, tc.imp, tc.ok)
		}
	}
	if _, found := rule("newpkg"); found {
		t.Error("a package no rule names must not match one")
	}
}
