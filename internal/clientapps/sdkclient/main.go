// Command sdkclient reads one secret in a loop with the Azure SDK for Go
// (azsecrets over azidentity's ClientSecretCredential), as fast as the vault
// answers, leaving 429s to the SDK's default retry policy. It is the
// well-behaved application of `kvquota clientcheck`'s tests: see package
// clientapps for its environment.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
)

func main() {
	reads := flag.Int("reads", 25, "how many times to read the secret")
	limit := flag.Duration("timeout", time.Minute, "give up after this long")
	flag.Parse()
	if err := run(*reads, *limit); err != nil {
		fmt.Fprintln(os.Stderr, "sdkclient:", err)
		os.Exit(1)
	}
}

func run(reads int, limit time.Duration) error {
	vault := os.Getenv("KVQUOTA_VAULT_URL")
	if vault == "" {
		return fmt.Errorf("KVQUOTA_VAULT_URL is not set: run me under kvquota clientcheck")
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	// The emulator is its own Azure AD: sign in there, without asking
	// login.microsoftonline.com whether it is a known authority.
	opts := azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: os.Getenv("AZURE_AUTHORITY_HOST")}}
	cred, err := azidentity.NewClientSecretCredential(os.Getenv("AZURE_TENANT_ID"), os.Getenv("AZURE_CLIENT_ID"),
		os.Getenv("AZURE_CLIENT_SECRET"), &azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
	if err != nil {
		return err
	}
	// The challenge names the emulator's loopback address, not a
	// *.vault.azure.net host. Retries: the SDK's defaults.
	c, err := azsecrets.NewClient(vault, cred, &azsecrets.ClientOptions{ClientOptions: opts, DisableChallengeResourceVerification: true})
	if err != nil {
		return err
	}
	value := "sdkclient"
	if _, err := c.SetSecret(ctx, "sdkclient", azsecrets.SetSecretParameters{Value: &value}, nil); err != nil {
		return fmt.Errorf("setting the secret: %w", err)
	}
	failed := 0
	for range reads {
		if _, err := c.GetSecret(ctx, "sdkclient", "", nil); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed++ // the SDK gave up after its retries: carry on, as an app would
		}
	}
	fmt.Printf("sdkclient: %d reads, %d failed after the SDK's retries\n", reads, failed)
	return nil
}
