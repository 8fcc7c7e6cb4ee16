package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/kvquota/kvquota/internal/version"
)

func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write kvquota's man pages (section 1) into DIR",
		Long: `Write one man page per command, kvquota.1, kvquota-run.1 and so on, into DIR
(made if missing), from the same help text the commands print. For packagers:
  kvquota man /usr/local/share/man/man1`,
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return withCode(exitUsage, err)
			}
			header := &doc.GenManHeader{Title: "KVQUOTA", Section: "1", Source: "kvquota " + version.Read().Short(), Manual: "kvquota manual"}
			return doc.GenManTree(cmd.Root(), header, args[0])
		},
	}
}
