package main

import (
	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/internal/version"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kvquota's version, commit and Go version",
		Long: `Print the module version (v1.2.3 from go install ...@v1.2.3, devel from a
checkout), the commit the binary was built from and whether the tree had
changes, and the Go and vegeta versions: what the binary's build information
says, the same version kvquota's User-Agent and run.json carry.`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			version.Read().Write(cmd.OutOrStdout())
		},
	}
}
