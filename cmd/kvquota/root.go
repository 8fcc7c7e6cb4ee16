package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "kvquota",
		Short: "Load-test Azure Key Vault and check it throttles where the documentation says",
		Long: `kvquota drives vegeta attacks described by scenario files against a real vault or
its built-in emulated vault, stores every result, and checks where HTTP 429 begins
against the documented per-10-second limits. Its exit code makes it a CI gate:
0 all checks passed, 1 a check failed, 2 usage or scenario error, 3 target unreachable,
4 no check failed but one was inconclusive (its detail says why), 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newEmulateCmd(), newTokenCmd(), newLimitsCmd(), newReportCmd(), newScenariosCmd())
	root.AddCommand(newPlotCmd())
	root.AddCommand(newCompareCmd())
	root.AddCommand(newDiscoverCmd())
	root.AddCommand(newClientcheckCmd())
	root.AddCommand(newBenchCmd())
	root.AddCommand(newVersionCmd(), newManCmd())
	return root
}
