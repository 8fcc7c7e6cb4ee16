package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azcertificates"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/kvtest"
	"github.com/kvquota/kvquota/limits"
)

// KvtestOptions set the kvtest benchmark.
type KvtestOptions struct {
	// MaxCycle is the target: the longest one test's use of a vault may take
	// (default 2 s, the bound issue 14 sets for its example test).
	MaxCycle time.Duration
}

// Kvtest measures what a Go test pays for package kvtest, per window model:
// one cycle is a test's whole use of a vault (kvtestCycle), timed by
// testing.Benchmark, the standard library's way for a program to benchmark
// without `go test`, which hands the cycle the testing.TB kvtest.New takes.
func Kvtest(ctx context.Context, o KvtestOptions) ([]Figure, error) {
	if o.MaxCycle <= 0 {
		o.MaxCycle = 2 * time.Second
	}
	var figs []Figure
	for _, m := range limits.WindowModels() {
		var (
			mu      sync.Mutex
			failure error
		)
		r := testing.Benchmark(func(b *testing.B) {
			for range b.N {
				if err := kvtestCycle(ctx, b, m); err != nil {
					mu.Lock()
					failure = err
					mu.Unlock()
					b.FailNow()
				}
			}
		})
		if failure == nil && r.N == 0 {
			failure = errors.New("no cycle completed (the vault did not start)")
		}
		if failure != nil {
			return figs, fmt.Errorf("kvtest, %s window: %w", m, failure)
		}
		per := time.Duration(r.NsPerOp())
		figs = append(figs, atMost("kvtest cycle, "+string(m)+" window", float64(per)/float64(time.Millisecond),
			float64(o.MaxCycle)/float64(time.Millisecond), "ms",
			fmt.Sprintf("mean of %d cycles: start a vault, sign in, fill a secrets window of 10, see the 429, Advance past it, read; an EC key signs; a certificate is issued", r.N)))
	}
	return figs, nil
}

// kvtestCycle is what a test does with a vault: start it (kvtest.New, closed
// by tb's cleanup), sign in through the official SDK, fill a secrets window
// of ten transactions, see Key Vault's 429, step the fake clock past the
// window and read again, then create and use an EC key and issue a
// Self-signed certificate. Key material is shared (ReuseKeyMaterial) so that
// RSA generation, which is not kvtest's cost, does not drown the figure.
func kvtestCycle(ctx context.Context, tb testing.TB, m limits.WindowModel) error {
	v := kvtest.New(tb, kvtest.WithProfile(limits.DefaultProfile, "secrets=10", "secrets-create=10"), kvtest.WithWindow(m),
		kvtest.WithConfig(func(c *emulator.Config) { c.ReuseKeyMaterial = true }))
	so := v.SecretsOptions()
	so.Retry.MaxRetries = -1
	sc, err := azsecrets.NewClient(v.URL, v.Credential, so)
	if err != nil {
		return err
	}
	if _, err := sc.SetSecret(ctx, "bench", azsecrets.SetSecretParameters{Value: to.Ptr("x")}, nil); err != nil {
		return err
	}
	for i := range 9 {
		if _, err := sc.GetSecret(ctx, "bench", "", nil); err != nil {
			return fmt.Errorf("read %d of a window of 10: %w", i+2, err)
		}
	}
	var re *azcore.ResponseError
	if _, err := sc.GetSecret(ctx, "bench", "", nil); !errors.As(err, &re) || re.StatusCode != http.StatusTooManyRequests {
		return fmt.Errorf("the 11th transaction of a window of 10 was not throttled: %v", err)
	}
	v.Advance(10 * time.Second)
	if _, err := sc.GetSecret(ctx, "bench", "", nil); err != nil {
		return fmt.Errorf("a read a window later: %w", err)
	}
	return keysAndCertificate(ctx, v)
}

// keysAndCertificate creates an EC key and signs with it, and issues a
// Self-signed certificate, through azkeys and azcertificates.
func keysAndCertificate(ctx context.Context, v *kvtest.Vault) error {
	kc, err := azkeys.NewClient(v.URL, v.Credential, v.KeysOptions())
	if err != nil {
		return err
	}
	if _, err := kc.CreateKey(ctx, "bench", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC), Curve: to.Ptr(azkeys.CurveNameP256)}, nil); err != nil {
		return err
	}
	digest := make([]byte, 32)
	if _, err := kc.Sign(ctx, "bench", "", azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Value: digest}, nil); err != nil {
		return err
	}
	cc, err := azcertificates.NewClient(v.URL, v.Credential, v.CertificatesOptions())
	if err != nil {
		return err
	}
	policy := &azcertificates.CertificatePolicy{
		IssuerParameters:          &azcertificates.IssuerParameters{Name: to.Ptr("Self")},
		X509CertificateProperties: &azcertificates.X509CertificateProperties{Subject: to.Ptr("CN=bench.example.test"), ValidityInMonths: to.Ptr(int32(1))},
	}
	_, err = cc.CreateCertificate(ctx, "bench", azcertificates.CreateCertificateParameters{CertificatePolicy: policy}, nil)
	return err
}
