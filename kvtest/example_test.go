package kvtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"

	"github.com/kvquota/kvquota/kvtest"
)

// An application's secrets client against the emulated vault: ten secret
// transactions fill a window (one set, then reads), the next read gets Key
// Vault's 429, and ten seconds later on the vault's fake clock it succeeds.
// In a test, kvtest.New(t, ...) does what Start and Close do here.
func Example() {
	v, err := kvtest.Start(kvtest.WithProfile("2025", "secrets=10", "secrets-create=10"))
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()

	opts := v.SecretsOptions()
	opts.Retry.MaxRetries = -1 // see the 429 itself rather than the SDK's retries
	client, err := azsecrets.NewClient(v.URL, v.Credential, opts)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.SetSecret(ctx, "db-password", azsecrets.SetSecretParameters{Value: to.Ptr("s3cret")}, nil); err != nil {
		log.Fatal(err)
	}
	reads := 0
	for ; reads < 100; reads++ {
		if _, err = client.GetSecret(ctx, "db-password", "", nil); err != nil {
			break
		}
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		fmt.Printf("after 1 set and %d reads: %d %s\n", reads, re.StatusCode, re.ErrorCode)
	}

	v.Advance(10 * time.Second)
	got, err := client.GetSecret(ctx, "db-password", "", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("10 s later:", *got.Value)
	// Output:
	// after 1 set and 9 reads: 429 Throttled
	// 10 s later: s3cret
}
