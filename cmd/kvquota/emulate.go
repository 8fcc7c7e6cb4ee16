package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kvquota/kvquota/emulator/standalone"
	"github.com/kvquota/kvquota/plan"
)

func newEmulateCmd() *cobra.Command {
	var (
		r = plan.Request{Command: plan.Emulate}
		o standalone.Options
	)
	cmd := &cobra.Command{
		Use:   "emulate",
		Short: "Serve the emulated vault until interrupted",
		Long: `Serve the emulated Key Vault over HTTPS with a fresh self-signed certificate,
its own token endpoints, 401 challenges and 429 throttling on the documented
limits. It prints its URL, where its CA certificate was written, and how to get
a token.

It listens on loopback unless told otherwise: --addr 0.0.0.0:8443 (or
$` + envEmulateAddr + `) serves every interface, as a container reached through a
published port needs. --ca-out (or $` + envEmulateCAOut + `) puts the CA where a
mounted volume can hand it to the host. The variables are for where no
arguments can be given, such as a GitHub Actions service container; a flag
wins over its variable.`,
		Example: `  kvquota emulate --addr 127.0.0.1:8443 --profile 2018 --window fixed
  docker run --rm -p 8443:8443 kvquota emulate --addr 0.0.0.0:8443 --ca-out /ca/ca.pem
  kvquota emulate --scenario secrets-onset --time-scale 0.1   # for the shards of a time-scaled run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := plan.Resolve(r)
			if err != nil {
				return err
			}
			o.Plan = p
			emulateEnv(cmd.Flags(), &o)
			srv, err := standalone.Start(o)
			if err != nil {
				return err
			}
			defer srv.Close()
			srv.WriteBanner(cmd.OutOrStdout())
			ctx, stop := interruptible(cmd)
			defer stop()
			<-ctx.Done()
			return srv.Close() // writes the state of --data
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "", "address to listen on (default $"+envEmulateAddr+", else 127.0.0.1:8443; 127.0.0.1:443 with --drop-in); 0.0.0.0:8443 for every interface")
	f.BoolVar(&o.DropIn, "drop-in", false, "answer as <vault>.vault.azure.net and login.microsoftonline.com, for unmodified applications (docs/drop-in.md)")
	profileFlags(f, &r, "limits profile to enforce (default "+defaultProfile()+")")
	f.StringArrayVar(&r.Limits, "limit", nil, "change a limit, CLASS=N (repeatable)")
	timeScaleFlag(f, &r)
	f.StringVar(&r.Scenario, "scenario", "", "serve what a run of this scenario expects: its profile, limits and window, and with --time-scale its scaling (for the shards of one run: docs/sharding.md)")
	faultFlag(f, &r)
	latencyFlags(f, &r)
	f.BoolVar(&r.RetryAfter, "retry-after", false, "send Retry-After on 429 (the real service's capture had none)")
	f.StringVar(&o.MetricsAddr, "metrics", "", "serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464 (default off)")
	f.StringVar(&o.ConfigFile, "config", "", "YAML file of identities, access policies or RBAC roles, and firewall rules (see the README)")
	f.StringVar(&o.DataDir, "data", "", "keep secrets and keys in DIR across restarts (file mode 0600; quota is not kept)")
	f.IntVar(&o.RetentionDays, "retention-days", 0, "soft-delete retention of deleted objects, 7-90 days (default 90)")
	f.BoolVar(&o.PurgeProtection, "purge-protection", false, "refuse purges of deleted objects, as a vault with purge protection does")
	f.StringVar(&o.CAOut, "ca-out", "", "where to write the CA certificate (default $"+envEmulateCAOut+", else $TMPDIR/kvquota-emulator-ca.pem)")
	return cmd
}

// The environment variables `kvquota emulate` reads for flags not given: a
// GitHub Actions service container takes an image and its environment, never
// arguments.
const (
	envEmulateAddr  = "KVQUOTA_EMULATE_ADDR"
	envEmulateCAOut = "KVQUOTA_EMULATE_CA_OUT"
)

// emulateEnv fills the address and the CA's path from the environment where
// their flags were not given.
func emulateEnv(f *pflag.FlagSet, o *standalone.Options) {
	if v := os.Getenv(envEmulateAddr); v != "" && !f.Changed("addr") {
		o.Addr = v
	}
	if v := os.Getenv(envEmulateCAOut); v != "" && !f.Changed("ca-out") {
		o.CAOut = v
	}
}
