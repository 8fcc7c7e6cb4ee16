package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/clientcheck"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

func newClientcheckCmd() *cobra.Command {
	var (
		r     = plan.Request{Command: plan.Clientcheck}
		c     clientcheck.Config
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "clientcheck [flags] -- COMMAND [ARGS...]",
		Short: "Run an application against the emulated vault and judge its footprint and its back-off after 429s",
		Long: `Start the embedded emulated vault, run COMMAND with the environment that points
it there (KVQUOTA_VAULT_URL, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
AZURE_AUTHORITY_HOST, SSL_CERT_FILE and KVQUOTA_CA_FILE: the emulator's CA), record
every request it makes until it exits (or --duration), and judge:
  footprint, footprint-weighted  the most transactions per window per class and the
                                 window's weighted sum, x --instances, against the
                                 documented limits (--limit changes only the emulator)
  immediate-retry, backoff       retries after a 429 wait at least 1, 2, 4, 8, 16 s,
                                 or the Retry-After sent (a delay of 0.6x the step passes)
  retry-storm                    at most one retry per second per throttled client
With --watch DURATION no command is run: the emulator is served and whatever comes
is recorded. Reports go into --out: report.json, junit.xml, summary.md, clients.json,
requests.jsonl. See docs/clientcheck.md.

Exit codes: 0 all checks passed, 1 a check failed, 2 usage error or the
application could not be started, 4 inconclusive (no check failed, but one
could not tell; its detail says why), 130 interrupted (judged up to then).`,
		Example: `  kvquota clientcheck --limit secrets=400 --time-scale 0.1 -- ./myapp --flag
  kvquota clientcheck --instances 8 -- go run ./cmd/worker
  kvquota clientcheck --watch 2m --addr 127.0.0.1:8443`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if c.Instances < 0 {
				return withCode(exitUsage, fmt.Errorf("--instances %g: want a positive multiplier", c.Instances))
			}
			if cmd.ArgsLenAtDash() > 0 || (len(args) > 0 && cmd.ArgsLenAtDash() < 0) {
				return withCode(exitUsage, errors.New("put the application after --, e.g. kvquota clientcheck -- ./myapp"))
			}
			c.Command = args
			p, err := plan.Resolve(r)
			if err != nil {
				return err
			}
			c.Plan = p
			c.Stdout, c.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if !quiet {
				c.Ready = announce(cmd.ErrOrStderr(), c)
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			out, err := clientcheck.Run(ctx, c)
			if out != nil && out.Report != nil {
				printClientcheck(cmd.OutOrStdout(), out)
			}
			if err != nil {
				return err
			}
			return verdictGate(out.Report.Outcome)
		},
	}
	f := cmd.Flags()
	f.DurationVar(&c.Watch, "watch", 0, "serve the emulator and record for this long instead of running an application")
	f.DurationVar(&c.Duration, "duration", 0, "stop the application (SIGINT) after this long (default: when it exits)")
	profileFlags(f, &r, "limits profile to judge against and emulate (default "+defaultProfile()+")")
	emulatorFlags(f, &r)
	f.Float64Var(&r.TimeScale, "time-scale", 0, "shrink the window and scale the limits as 'run --time-scale' does; back-off steps stay in real seconds")
	f.Float64Var(&c.Instances, "instances", 1, "planned load: multiply the measured footprint by this many instances")
	f.StringVar(&c.Addr, "addr", "", "address for the emulator (default 127.0.0.1 on a free port)")
	f.StringVar(&r.Out, "out", "", "directory for the reports (default ./kvquota-runs/clientcheck-<time>)")
	f.IntVar(&c.MaxRecords, "max-records", 0, "keep at most this many requests (default 250000); past it they are counted as dropped")
	f.BoolVarP(&quiet, "quiet", "q", false, "print only the verdicts")
	return cmd
}

// announce tells a person where the emulator is: for --watch, how to point
// an application at it.
func announce(log io.Writer, c clientcheck.Config) func(clientcheck.Env) {
	return func(e clientcheck.Env) {
		fmt.Fprintf(log, "emulated vault: %s\n", e.VaultURL)
		if c.Watch <= 0 {
			fmt.Fprintf(log, "running: %s\n", strings.Join(c.Command, " "))
			return
		}
		fmt.Fprintf(log, "recording for %s; point the application at it with:\n", c.Watch)
		for _, v := range e.Vars(false) {
			fmt.Fprintf(log, "  export %s\n", v)
		}
		fmt.Fprintf(log, "  export %s=<the built-in emulator identity's secret: README, 'Built-in test identity'>\n", clientcheck.EnvClientSecret)
	}
}

// printClientcheck prints the verdicts and the clients of a check.
func printClientcheck(w io.Writer, out *clientcheck.Outcome) {
	fmt.Fprintln(w)
	results.WriteText(w, out.Report)
	clientcheck.WriteClients(w, out.Findings)
	if out.Dropped > 0 {
		fmt.Fprintf(w, "%d requests arrived past --max-records and were not judged\n", out.Dropped)
	}
	if out.AppErr != nil {
		fmt.Fprintf(w, "the application ended: %v\n", out.AppErr)
	}
	fmt.Fprintf(w, "reports: %s\n", out.Dir)
}
