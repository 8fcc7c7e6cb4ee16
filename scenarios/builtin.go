package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
)

// builtinFS holds the built-in scenarios, so that `kvquota run secrets-onset`
// works from any directory and the files users copy from are the ones run.
//
//go:embed builtin/*.yaml
var builtinFS embed.FS

// BuiltinNames lists the built-in scenarios, sorted.
func BuiltinNames() []string {
	entries, _ := fs.ReadDir(builtinFS, "builtin")
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Builtin returns the built-in scenario called name. Its Source is
// "builtin:NAME".
func Builtin(name string) (*Scenario, error) {
	data, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return Parse("builtin:"+name, data)
}

// BuiltinSource returns the YAML text of a built-in scenario, for users who
// want a file to start their own from.
func BuiltinSource(name string) ([]byte, error) {
	if !slices.Contains(BuiltinNames(), name) {
		return nil, &Error{File: name, Msg: fmt.Sprintf("no built-in scenario of that name (built-ins: %s)", strings.Join(BuiltinNames(), ", "))}
	}
	return builtinFS.ReadFile(path.Join("builtin", name+".yaml"))
}

// Resolve loads what a user named on the command line: the file arg when it
// exists or ends in .yaml or .yml, otherwise the built-in scenario arg.
func Resolve(arg string) (*Scenario, error) {
	if arg == "" {
		return nil, &Error{Msg: fmt.Sprintf("no scenario given: name a scenario file or a built-in (%s)", strings.Join(BuiltinNames(), ", "))}
	}
	st, err := os.Stat(arg)
	isFile := err == nil && !st.IsDir()
	ext := strings.ToLower(path.Ext(arg))
	if isFile || ext == ".yaml" || ext == ".yml" {
		return Load(arg)
	}
	if !slices.Contains(BuiltinNames(), arg) {
		hint := ""
		if err == nil && st.IsDir() {
			hint = " (it is a directory)"
		}
		return nil, &Error{File: arg, Msg: fmt.Sprintf("not a scenario file%s and not a built-in scenario (built-ins: %s)", hint, strings.Join(BuiltinNames(), ", "))}
	}
	return Builtin(arg)
}
