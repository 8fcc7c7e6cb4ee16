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
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
)

func main() {
	reads := flag.Int("reads", 25, "how many times to read the secret (per call in flight)")
	limit := flag.Duration("timeout", time.Minute, "give up after this long")
	parallel := flag.Int("parallel", 1, "calls in flight at once, each reading -reads times")
	requestID := flag.Bool("request-id", false, "send an x-ms-client-request-id kept across a call's retries (azcore's NewRequestIDPolicy per call; the default pipeline sends none)")
	flag.Parse()
	if err := run(*reads, *parallel, *requestID, *limit); err != nil {
		fmt.Fprintln(os.Stderr, "sdkclient:", err)
		os.Exit(1)
	}
}

func run(reads, parallel int, requestID bool, limit time.Duration) error {
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
	copts := opts
	if requestID {
		// Per call, before the retry policy: every retry of a call keeps
		// the id, as the Azure SDK for JS does by default.
		copts.PerCallPolicies = []policy.Policy{runtime.NewRequestIDPolicy()}
	}
	c, err := azsecrets.NewClient(vault, cred, &azsecrets.ClientOptions{ClientOptions: copts, DisableChallengeResourceVerification: true})
	if err != nil {
		return err
	}
	value := "sdkclient"
	if _, err := c.SetSecret(ctx, "sdkclient", azsecrets.SetSecretParameters{Value: &value}, nil); err != nil {
		return fmt.Errorf("setting the secret: %w", err)
	}
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range max(1, parallel) {
		wg.Go(func() {
			for range reads {
				if _, err := c.GetSecret(ctx, "sdkclient", "", nil); err != nil && ctx.Err() == nil {
					failed.Add(1) // the SDK gave up after its retries: carry on, as an app would
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	fmt.Printf("sdkclient: %d reads, %d failed after the SDK's retries\n", reads*max(1, parallel), failed.Load())
	return nil
}
