package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/runner"
)

func newTokenCmd() *cobra.Command {
	r := runner.TokenRequest{Identity: auth.DefaultIdentity()}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Get a Key Vault token from the emulator's token endpoint",
		Long: `Get an access token for https://vault.azure.net with the client-credentials
grant from an emulator's token endpoint, and print it. The defaults are the
emulator's built-in test identity; the secret can also come from
$KVQUOTA_CLIENT_SECRET.`,
		Example: `  kvquota token --authority https://127.0.0.1:8443 --ca /tmp/kvquota-emulator-ca.pem`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if s := os.Getenv("KVQUOTA_CLIENT_SECRET"); s != "" && !cmd.Flags().Changed("client-secret") {
				r.Identity.ClientSecret = s
			}
			tok, err := runner.Token(cmd.Context(), r)
			if err != nil {
				return withCode(exitUnreachable, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&r.Authority, "authority", "https://127.0.0.1:8443", "the emulator's base URL")
	f.StringVar(&r.Tenant, "tenant", auth.DefaultTenant, "tenant id")
	f.StringVar(&r.Identity.ClientID, "client-id", r.Identity.ClientID, "client (application) id")
	f.StringVar(&r.Identity.ClientSecret, "client-secret", r.Identity.ClientSecret, "client secret")
	f.StringVar(&r.CAFile, "ca", "", "PEM file of the CA to trust (written by 'kvquota emulate')")
	return cmd
}
