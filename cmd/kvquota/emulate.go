package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/metrics"
	"github.com/kvquota/kvquota/limits"
)

func newEmulateCmd() *cobra.Command {
	var (
		addr, profile, win, caOut string
		limitOverrides            []string
		retryAfter                bool
		metricsAddr               string
		configPath                string
		dataDir                   string
		dropIn                    bool
		retentionDays             int
		purgeProtection           bool
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
			p, err := limits.Get(profile)
			if err != nil {
				return withCode(exitUsage, err)
			}
			model, err := limits.ParseWindowModel(win)
			if err != nil {
				return withCode(exitUsage, err)
			}
			o, err := limits.ParseOverrides(limitOverrides)
			if err != nil {
				return withCode(exitUsage, err)
			}
			if p, err = p.WithOverrides(o); err != nil {
				return withCode(exitUsage, err)
			}
			var obs *metrics.Metrics
			if metricsAddr != "" {
				obs = metrics.New()
			}
			var cfg emulator.Config
			if configPath != "" {
				if cfg, err = emulator.LoadConfigFile(configPath); err != nil {
					return withCode(exitUsage, err)
				}
			}
			cfg.Profile, cfg.Window, cfg.Observer = p, model, obs.Observer()
			cfg.RetryAfter = cfg.RetryAfter || retryAfter
			if dataDir != "" {
				cfg.DataDir = dataDir
			}
			cfg.DropIn = cfg.DropIn || dropIn
			if cfg.DropIn && !cmd.Flags().Changed("addr") {
				addr = emulator.DropInAddr
			}
			if retentionDays != 0 {
				cfg.Deletion.RetentionDays = retentionDays
			}
			cfg.Deletion.PurgeProtection = cfg.Deletion.PurgeProtection || purgeProtection
			v, err := emulator.New(cfg)
			if err != nil {
				return err
			}
			srv, err := emulator.Start(v, addr)
			if err != nil {
				return withCode(exitUsage, err)
			}
			defer srv.Close()
			if caOut == "" {
				caOut = filepath.Join(os.TempDir(), "kvquota-emulator-ca.pem")
			}
			if err := os.WriteFile(caOut, srv.CACertPEM, 0o644); err != nil {
				return err
			}
			id := auth.DefaultIdentity()
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "emulated vault: %s (profile %s, %s window)\n", srv.URL, p.Name, model)
			fmt.Fprintf(w, "CA certificate: %s\n", caOut)
			fmt.Fprintf(w, "token endpoint: %s/%s/oauth2/token (client %s, the emulator's built-in test identity)\n", srv.URL, auth.DefaultTenant, id.ClientID)
			fmt.Fprintf(w, "get a token:    kvquota token --authority %s --ca %s\n", srv.URL, caOut)
			fmt.Fprintf(w, "attack it:      kvquota run secrets-onset --target %s --ca %s --token \"$(kvquota token --authority %s --ca %s)\"\n", srv.URL, caOut, srv.URL, caOut)
			if obs != nil {
				url, stopMetrics, err := obs.Serve(metricsAddr, v)
				if err != nil {
					return withCode(exitUsage, err)
				}
				defer stopMetrics()
				fmt.Fprintf(w, "metrics:        %s (Prometheus text format)\n", url)
			}
			if cfg.DataDir != "" {
				fmt.Fprintf(w, "state:          %s (secrets and keys kept across restarts; written within %s of a change and on exit)\n",
					filepath.Join(cfg.DataDir, emulator.StateFile), emulator.FlushDelay)
			}
			if cfg.DropIn {
				fmt.Fprint(w, emulator.DropInNotes(v, srv))
			}
			fmt.Fprintln(w, "Ctrl-C stops it.")
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			<-ctx.Done()
			return srv.Close() // writes the state of --data
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8443", "address to listen on")
	f.StringVar(&profile, "profile", limits.DefaultProfile, "limits profile to enforce: 2018, 2021 or 2025")
	f.StringVar(&win, "window", string(limits.Sliding), "window model: sliding, fixed or token-bucket")
	f.StringArrayVar(&limitOverrides, "limit", nil, "change a limit, CLASS=N (repeatable)")
	f.BoolVar(&retryAfter, "retry-after", false, "send Retry-After on 429 (the real service's capture had none)")
	f.StringVar(&metricsAddr, "metrics", "", "serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464 (default off)")
	f.StringVar(&configPath, "config", "", "YAML file of identities, access policies or RBAC roles, and firewall rules (see the README)")
	f.StringVar(&dataDir, "data", "", "keep secrets and keys in DIR across restarts (file mode 0600; quota is not kept)")
	f.BoolVar(&dropIn, "drop-in", false, "answer as <vault>.vault.azure.net and login.microsoftonline.com, on 127.0.0.1:443 unless --addr (docs/drop-in.md)")
	f.IntVar(&retentionDays, "retention-days", 0, "soft-delete retention of deleted secrets and keys, 7-90 days (default 90)")
	f.BoolVar(&purgeProtection, "purge-protection", false, "refuse purges of deleted objects, as a vault with purge protection does")
	f.StringVar(&caOut, "ca-out", "", "where to write the CA certificate (default $TMPDIR/kvquota-emulator-ca.pem)")
	return cmd
}
