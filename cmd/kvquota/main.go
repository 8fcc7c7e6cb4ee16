// Command kvquota load-tests Azure Key Vault (or its built-in emulated vault)
// and checks that throttling begins where the documented limits say. Each
// command only parses its flags into a plan.Request and calls the packages
// that do the work; exit.go maps how it ended to the exit code.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line args and returns the exit code.
func execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	addCompletion(root) // after SetOut: cobra's scripts write where it was then
	err := root.Execute()
	if msg := exitMessage(err); msg != "" {
		fmt.Fprintln(stderr, "kvquota:", msg)
	}
	return exitCode(err)
}
