package kvtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/kvtest"
)

// settingsLoader stands for an application's own code: it reads its settings
// from Key Vault through the azsecrets client it is given, and does not know
// it is under test.
type settingsLoader struct{ client *azsecrets.Client }

func (l settingsLoader) load(ctx context.Context, names ...string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for _, n := range names {
		s, err := l.client.GetSecret(ctx, n, "", nil)
		if err != nil {
			return nil, fmt.Errorf("reading setting %s: %w", n, err)
		}
		out[n] = *s.Value
	}
	return out, nil
}

// TestSettingsLoaderThrottledThenRecovers is the test an application
// developer writes with kvtest: a vault whose secrets window holds five
// transactions, the application's loader reading through the official SDK,
// the window filled, the SDK's 429 with Key Vault's body, and the same load
// succeeding once the vault's fake clock has moved past the window. No
// waiting: the test takes a fraction of a second.
func TestSettingsLoaderThrottledThenRecovers(t *testing.T) {
	v := kvtest.New(t, kvtest.WithProfile("2025", "secrets=5", "secrets-create=5"))
	opts := v.SecretsOptions()
	opts.Retry.MaxRetries = -1 // the SDK retries a 429 three times by default, in real time
	client, err := azsecrets.NewClient(v.URL, v.Credential, opts)
	require.NoError(t, err)
	ctx := context.Background()
	for name, value := range map[string]string{"db-user": "app", "db-password": "s3cret"} {
		_, err := client.SetSecret(ctx, name, azsecrets.SetSecretParameters{Value: to.Ptr(value)}, nil)
		require.NoError(t, err)
	}
	app := settingsLoader{client: client}

	got, err := app.load(ctx, "db-user", "db-password") // transactions 3 and 4 of 5
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"db-user": "app", "db-password": "s3cret"}, got)

	_, err = app.load(ctx, "db-user", "db-password") // 5 fits, the 6th does not
	require.Error(t, err)
	assert.ErrorContains(t, err, "reading setting db-password")
	var re *azcore.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusTooManyRequests, re.StatusCode)
	assert.Equal(t, "Throttled", re.ErrorCode)
	body, err := io.ReadAll(re.RawResponse.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached"}}`, string(body))
	assert.Equal(t, "application/json; charset=utf-8", re.RawResponse.Header.Get("Content-Type"))

	v.Advance(9 * time.Second) // the window still holds all five
	_, err = app.load(ctx, "db-user")
	require.True(t, errors.As(err, &re) && re.StatusCode == http.StatusTooManyRequests, "9 s on: %v", err)

	v.Advance(time.Second) // 10 s after they were sent, the five leave the window
	got, err = app.load(ctx, "db-user", "db-password")
	require.NoError(t, err)
	assert.Equal(t, "s3cret", got["db-password"])
}
