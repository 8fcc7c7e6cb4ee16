package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/discover"
	"github.com/kvquota/kvquota/plan"
)

func newDiscoverCmd() *cobra.Command {
	var (
		r     = plan.Request{Command: plan.Discover}
		o     discover.Options
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "discover",
		Short: "Find a target's real limit, window model and window length per class",
		Long: `Probe a target (a vault, a Key Vault-compatible proxy, or the embedded emulator
with settings it is not told) and find, per transaction class, the limit per
window, the window model (fixed buckets, sliding window or token bucket) and the
window length, from its answers alone: a burst until the first 429, probes
until it recovers, a steady overload, and a tie-breaking burst when fixed and
sliding fit alike. Each candidate model is replayed over the same request times;
the best fit is the finding, the share of outcomes it predicts its evidence, its
lead over the next model its confidence. See docs/discover.md.

It signs in to a --target as 'run' does: --token, a client secret, or
DefaultAzureCredential. Prints a table and writes run.json, report.json,
junit.xml, summary.md and findings.json into --out. Exit codes: 0 discovery
succeeded (even if the target differs from the documentation: the table says
so), 1 a finding differs from --expect-profile, 2 usage, 3 target unreachable,
4 inconclusive: a finding was ambiguous (the answers' timing, on a busy
machine say, left more than one model or a band of limits fitting; the
report names them and why) or the target could not be overloaded, 130
interrupted (before discovery finished: no findings).`,
		Example: `  kvquota discover --window token-bucket --time-scale 0.1
  kvquota discover --limit secrets=4800 --window fixed --time-scale 0.1 --expect-profile 2021   # exit 1
  kvquota discover --target https://myvault.vault.azure.net --token "$TOKEN" --class secrets,secrets-create`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := plan.Resolve(r)
			if err != nil {
				return err
			}
			o.Plan = p
			if !quiet {
				o.Log = func(format string, args ...any) { fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...) }
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			out, err := discover.Discover(ctx, o)
			if errors.Is(err, discover.ErrInconclusive) {
				return withCode(exitInconclusive, err)
			}
			if errors.Is(err, context.Canceled) {
				return withCode(exitInterrupted, errors.New("interrupted before discovery finished: no findings"))
			}
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			discover.WriteTable(w, out.Findings)
			fmt.Fprintf(w, "report: %s\n", out.Dir)
			if out.Failed != nil {
				return withCode(exitFail, out.Failed)
			}
			return withCode(exitInconclusive, out.Inconclusive)
		},
	}
	f := cmd.Flags()
	targetFlags(f, &r)
	profileFlags(f, &r, "documented profile to emulate and to report against (default "+defaultProfile()+")")
	f.StringArrayVar(&r.Limits, "limit", nil, "change a limit of the embedded emulator, CLASS=N (repeatable)")
	f.Float64Var(&r.TimeScale, "time-scale", 0, "shrink the embedded emulator's window and limits as 'run' does, e.g. 0.1; the documented figures compared with are scaled alike")
	f.StringVar(&r.Out, "out", "", "report directory (default ./kvquota-runs/discover-<time>)")
	f.StringArrayVar(&o.Classes, "class", nil, "classes to probe, comma-separated or repeated (default secrets): secrets, secrets-create, or a keys 'other' cell such as rsa2048-software-other")
	f.StringVar(&o.ExpectProfile, "expect-profile", "", "exit 1 if a finding differs from this profile's limit (±2%) or window (±10%)")
	f.DurationVar(&o.Settle, "settle", 0, "wait after a class's setup request (a key CREATE) before probing it (default 10s; the emulated window with no --target)")
	f.Float64Var(&o.MaxRate, "max-rate", 0, "highest request rate of the overload, per second (default 1000)")
	f.BoolVarP(&quiet, "quiet", "q", false, "print only the findings")
	return cmd
}
