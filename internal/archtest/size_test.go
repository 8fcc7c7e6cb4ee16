package archtest

import (
	"go/ast"
	"testing"
)

// The size limits of non-test code: a function longer than maxFuncLines or a
// file longer than maxFileLines is to be split where its steps are.
const (
	maxFuncLines = 80
	maxFileLines = 500
)

// dataTables are files that are one table of data, exempt from the file
// limit (none today; name a file here only with the reason).
var dataTables = map[string]string{}

// TestSizeLimits holds the limits over every non-test Go file.
func TestSizeLimits(t *testing.T) {
	for _, f := range parseTree(t) {
		if f.test {
			continue
		}
		if n := f.fset.File(f.ast.Pos()).LineCount(); n > maxFileLines && dataTables[f.path] == "" {
			t.Errorf("%s has %d lines (at most %d)", f.path, n, maxFileLines)
		}
		for _, d := range f.ast.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			n := f.fset.Position(fd.End()).Line - f.fset.Position(fd.Pos()).Line + 1
			if n > maxFuncLines {
				t.Errorf("%s: func %s has %d lines (at most %d)", f.path, fd.Name.Name, n, maxFuncLines)
			}
		}
	}
}
