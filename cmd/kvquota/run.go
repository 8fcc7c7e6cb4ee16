package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/runner"
	"github.com/kvquota/kvquota/scenarios"
)

// exitInterrupted is the conventional code of a run stopped by SIGINT; the run
// directory it leaves is complete up to that moment.
const exitInterrupted = 130

func newRunCmd() *cobra.Command {
	var (
		c              runner.Config
		profile, win   string
		limitOverrides []string
		quiet          bool
		suite          string
	)
	cmd := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a scenario (a file or a built-in name) and check the verdicts",
		Long: `Run a scenario file, or a built-in scenario by name (see 'kvquota scenarios').
With no --target, the embedded emulated vault is started on a loopback port over
HTTPS for the run. The run directory receives every result as it arrives
(results.bin, readable by 'vegeta report'), run.json, report.json, junit.xml and
plots/.

Exit codes: 0 all checks passed, 1 a check failed, 2 usage or scenario error,
3 the target could not be reached, 130 interrupted (results kept).`,
		Example: `  kvquota run secrets-onset
  kvquota run secrets-onset --limit secrets=2400     # a wrong target: the gate fails
  kvquota run my-scenario.yaml --target https://myvault.vault.azure.net
  kvquota run --suite conformance --profile 2018 --time-scale 0.1`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if c.TimeScale < 0 || c.TimeScale > 1 {
				return withCode(exitUsage, fmt.Errorf("--time-scale %g: want a factor above 0 and at most 1, e.g. 0.1 for a tenth of the time", c.TimeScale))
			}
			if suite != "" {
				if len(args) > 0 {
					return withCode(exitUsage, errors.New("give a scenario or --suite, not both"))
				}
				return runSuite(cmd, suite, profile, win, limitOverrides, quiet, c)
			}
			if len(args) == 0 {
				return withCode(exitUsage, errors.New("no scenario given: name a scenario file or a built-in (see 'kvquota scenarios'), or run a --suite"))
			}
			s, err := scenarios.Resolve(args[0])
			if err != nil {
				return withCode(exitUsage, err)
			}
			if profile != "" {
				if _, err := limits.Get(profile); err != nil {
					return withCode(exitUsage, err)
				}
				s.Profile = profile
			}
			if win != "" {
				if s.Window, err = limits.ParseWindowModel(win); err != nil {
					return withCode(exitUsage, err)
				}
			}
			if c.TargetLimits, err = limits.ParseOverrides(limitOverrides); err != nil {
				return withCode(exitUsage, err)
			}
			if c.Token == "" {
				c.Token = os.Getenv("KVQUOTA_TOKEN")
			}
			// The client secret comes from the environment only, never a flag
			// (flags end up in shell history and process lists).
			c.Credential.ClientSecret = os.Getenv("KVQUOTA_CLIENT_SECRET")
			c.Scenario = s
			if !quiet {
				c.Log = cmd.ErrOrStderr()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			out, err := runner.Run(ctx, c)
			if out != nil && out.Report != nil {
				printOutcome(cmd, out.Dir, out.Report)
			}
			return runExit(out, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Target, "target", "", "vault URL to attack instead of the embedded emulator")
	f.StringVar(&c.Token, "token", "", "bearer token for --target (default $KVQUOTA_TOKEN)")
	f.StringVar(&c.Credential.TenantID, "tenant", "", "tenant to sign in to for --target without --token (with --client-id and $KVQUOTA_CLIENT_SECRET: a client-secret sign-in; else DefaultAzureCredential)")
	f.StringVar(&c.Credential.ClientID, "client-id", "", "application (client) id for a client-secret sign-in to --target")
	f.StringVar(&c.CAFile, "ca", "", "PEM file of CA certificates to trust for --target (e.g. from 'kvquota emulate')")
	f.StringVar(&c.Out, "out", "", "run directory (default ./kvquota-runs/<scenario>-<time>)")
	f.StringArrayVar(&limitOverrides, "limit", nil, "change a limit of the embedded emulator, CLASS=N (repeatable); the run is still judged against the documentation")
	f.StringVar(&profile, "profile", "", "limits profile to judge against and emulate (default: the scenario's)")
	f.StringVar(&win, "window", "", "window model, sliding, fixed or token-bucket (default: the scenario's)")
	f.BoolVar(&c.RetryAfter, "retry-after", false, "make the embedded emulator send Retry-After on 429")
	f.StringVar(&c.Lax, "lax", "", "make the embedded emulator deliberately wrong about authentication, to see a gate fail: accept-any-token or no-challenge")
	f.BoolVarP(&quiet, "quiet", "q", false, "print only the verdicts")
	f.StringVar(&suite, "suite", "", "run every scenario of a suite instead of one scenario (conformance: every built-in)")
	f.Float64Var(&c.TimeScale, "time-scale", 0, "shrink windows and stages by this factor for a quick run, e.g. 0.1; limits are scaled too and every report says so")
	return cmd
}

func printOutcome(cmd *cobra.Command, dir string, r *results.Report) {
	w := cmd.OutOrStdout()
	fmt.Fprintln(w)
	results.WriteText(w, r)
	fmt.Fprintf(w, "run directory: %s\n", dir)
	for _, p := range r.Plots {
		fmt.Fprintf(w, "plot: %s\n", filepath.Join(dir, p))
	}
}

// runExit maps a run's end to the gate's exit code.
func runExit(out *runner.Outcome, err error) error {
	var nerr net.Error
	var operr *net.OpError
	switch {
	case errors.Is(err, runner.ErrUnreachable), errors.As(err, &operr), errors.As(err, &nerr):
		return withCode(exitUnreachable, err)
	case errors.Is(err, context.Canceled):
		return withCode(exitInterrupted, errors.New("interrupted; the results received so far are kept and judged above"))
	case err != nil:
		return withCode(exitUsage, err)
	case out.Report != nil && !out.Report.Pass:
		return withCode(exitFail, errGateFailed)
	}
	return nil
}
