package main

import (
	"github.com/spf13/cobra"

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
a token.`,
		Example: `  kvquota emulate --addr 127.0.0.1:8443 --profile 2018 --window fixed`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := plan.Resolve(r)
			if err != nil {
				return err
			}
			o.Plan = p
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
	f.StringVar(&o.Addr, "addr", "", "address to listen on (default 127.0.0.1:8443; 127.0.0.1:443 with --drop-in)")
	f.BoolVar(&o.DropIn, "drop-in", false, "answer as <vault>.vault.azure.net and login.microsoftonline.com, for unmodified applications (docs/drop-in.md)")
	profileFlags(f, &r, "limits profile to enforce (default "+defaultProfile()+")")
	f.StringArrayVar(&r.Limits, "limit", nil, "change a limit, CLASS=N (repeatable)")
	faultFlag(f, &r)
	f.BoolVar(&r.RetryAfter, "retry-after", false, "send Retry-After on 429 (the real service's capture had none)")
	f.StringVar(&o.MetricsAddr, "metrics", "", "serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464 (default off)")
	f.StringVar(&o.ConfigFile, "config", "", "YAML file of identities, access policies or RBAC roles, and firewall rules (see the README)")
	f.StringVar(&o.DataDir, "data", "", "keep secrets and keys in DIR across restarts (file mode 0600; quota is not kept)")
	f.IntVar(&o.RetentionDays, "retention-days", 0, "soft-delete retention of deleted objects, 7-90 days (default 90)")
	f.BoolVar(&o.PurgeProtection, "purge-protection", false, "refuse purges of deleted objects, as a vault with purge protection does")
	f.StringVar(&o.CAOut, "ca-out", "", "where to write the CA certificate (default $TMPDIR/kvquota-emulator-ca.pem)")
	return cmd
}
