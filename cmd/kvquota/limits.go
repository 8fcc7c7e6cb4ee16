package main

import (
	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/limits"
)

func newLimitsCmd() *cobra.Command {
	var profile string
	cmd := &cobra.Command{
		Use:   "limits",
		Short: "Print the documented limits of a profile",
		Example: `  kvquota limits --profile 2018
  kvquota limits --profile 2021
  kvquota limits --profile 2025`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := limits.Get(profile)
			if err != nil {
				return withCode(exitUsage, err)
			}
			limits.WriteTable(cmd.OutOrStdout(), p)
			return nil
		},
	}
	cmd.Flags().StringVar(&profile, "profile", limits.DefaultProfile, "limits profile: 2018 (the seeds' era), 2021, or 2025 (current: key and certificate imports share the secret CREATE row)")
	return cmd
}
