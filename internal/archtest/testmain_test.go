package archtest

import (
	"go/ast"
	"slices"
	"strconv"
	"testing"
)

// TestEveryPackageEndsItsTestsWithTestmain: each package with tests has a
// TestMain that ends through internal/testmain, so that no race-built test
// binary sleeps at exit (testmain's package comment says why), a new
// package included.
func TestEveryPackageEndsItsTestsWithTestmain(t *testing.T) {
	tested, ends := map[string]bool{}, map[string]bool{}
	for _, f := range parseTree(t) {
		if !f.test {
			continue
		}
		tested[f.pkg] = true
		imports := slices.ContainsFunc(f.ast.Imports, func(s *ast.ImportSpec) bool {
			p, _ := strconv.Unquote(s.Path.Value)
			return p == "github.com/kvquota/kvquota/internal/testmain"
		})
		if imports && hasTestMain(f.ast) {
			ends[f.pkg] = true
		}
	}
	for pkg := range tested {
		if !ends[pkg] {
			t.Errorf("%s: its tests need a TestMain that ends with testmain.Exit(m.Run())", pkg)
		}
	}
}

func hasTestMain(f *ast.File) bool {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "TestMain" {
			return true
		}
	}
	return false
}
