package sdktest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
)

// TestSecretsLifecycle drives the secrets data plane with the official client:
// its first request goes out without a token, the 401 challenge sends it to
// the emulator's authority, and everything after carries the token.
func TestSecretsLifecycle(t *testing.T) {
	e := newEnv(t, emulator.Config{})
	rec := &recorder{}
	c := e.secrets(rec)
	ctx := context.Background()

	set, err := c.SetSecret(ctx, "sdk-one", azsecrets.SetSecretParameters{Value: to.Ptr("v1"), ContentType: to.Ptr("text/plain")}, nil)
	require.NoError(t, err)
	require.NotNil(t, set.ID)
	assert.Equal(t, "sdk-one", set.ID.Name())
	// The challenge flow: one unauthenticated 401, then the authenticated PUT.
	require.GreaterOrEqual(t, len(rec.seen), 2)
	assert.Equal(t, http.StatusUnauthorized, rec.seen[0].status)
	assert.Contains(t, rec.seen[0].header.Get("WWW-Authenticate"), `authorization="`+e.srv.URL+"/")
	assert.Equal(t, http.StatusOK, rec.seen[len(rec.seen)-1].status)

	_, err = c.SetSecret(ctx, "sdk-one", azsecrets.SetSecretParameters{Value: to.Ptr("v2")}, nil)
	require.NoError(t, err)
	_, err = c.SetSecret(ctx, "sdk-two", azsecrets.SetSecretParameters{Value: to.Ptr("w")}, nil)
	require.NoError(t, err)

	got, err := c.GetSecret(ctx, "sdk-one", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "v2", *got.Value)
	first, err := c.GetSecret(ctx, "sdk-one", set.ID.Version(), nil)
	require.NoError(t, err)
	assert.Equal(t, "v1", *first.Value)

	var names []string
	for pg := c.NewListSecretPropertiesPager(nil); pg.More(); {
		page, err := pg.NextPage(ctx)
		require.NoError(t, err)
		for _, s := range page.Value {
			names = append(names, s.ID.Name())
		}
	}
	assert.ElementsMatch(t, []string{"sdk-one", "sdk-two"}, names)

	versions := 0
	for pg := c.NewListSecretPropertiesVersionsPager("sdk-one", nil); pg.More(); {
		page, err := pg.NextPage(ctx)
		require.NoError(t, err)
		versions += len(page.Value)
	}
	assert.Equal(t, 2, versions)

	del, err := c.DeleteSecret(ctx, "sdk-two", nil)
	require.NoError(t, err)
	assert.Equal(t, "sdk-two", del.ID.Name())
	_, err = c.GetSecret(ctx, "sdk-two", "", nil)
	var re *azcore.ResponseError
	require.True(t, errors.As(err, &re), "want a ResponseError, got %v", err)
	assert.Equal(t, http.StatusNotFound, re.StatusCode)
	assert.Equal(t, "SecretNotFound", re.ErrorCode)

	// One challenge for the whole session: the token is cached.
	unauth := 0
	for _, s := range rec.seen {
		if s.status == http.StatusUnauthorized {
			unauth++
		}
	}
	assert.Equal(t, 1, unauth, "statuses seen: %v", rec.statuses())
}

// TestWrongSecretIsRefusedBySignIn shows a bad client secret surfaces as
// azidentity's authentication error carrying Azure AD's AADSTS code, and the
// vault is never reached with a token.
func TestWrongSecretIsRefusedBySignIn(t *testing.T) {
	e := newEnv(t, emulator.Config{})
	id := emulatorIdentity()
	id.ClientSecret = "not-the-secret"
	c, err := azsecrets.NewClient(e.srv.URL, e.credential(id), &azsecrets.ClientOptions{
		ClientOptions: e.clientOptions(), DisableChallengeResourceVerification: true,
	})
	require.NoError(t, err)
	_, err = c.GetSecret(context.Background(), "anything", "", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AADSTS7000215")
	assert.NotContains(t, err.Error(), "not-the-secret")
}
