package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// addCompletion adds cobra's `kvquota completion bash|zsh|fish|powershell`
// now rather than when the command line runs, so that the man pages include
// it, and makes a shell it has no script for a usage error naming the shell
// (cobra's own command would print its help and exit 0).
func addCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return withCode(exitUsage, fmt.Errorf("completion: no script for shell %q (want bash, zsh, fish or powershell)", args[0]))
		}
	}
}
