package testmain

import (
	"flag"
	"fmt"
)

// Default sets the test flag name (e.g. "test.parallel") to value unless
// the command line gave it, so that `go test -parallel 2` still has the last
// word. It parses the command line first, as testing.M.Run would; call it
// in TestMain before m.Run. It panics if name is not a flag, or value is
// not one of its values: a TestMain's mistake, not a test's failure.
//
//lint:ignore deadcode only tests call it: a TestMain (package comment)
func Default(name, value string) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if given {
		return
	}
	if err := flag.Set(name, value); err != nil {
		panic(fmt.Sprintf("testmain: %s=%s: %v", name, value, err))
	}
}
