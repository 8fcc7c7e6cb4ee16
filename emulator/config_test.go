package emulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

func TestZeroConfigIsUsable(t *testing.T) {
	t.Parallel()
	v, err := New(Config{})
	require.NoError(t, err)
	cfg := v.Config()
	assert.Equal(t, limits.DefaultProfile, cfg.Profile.Name)
	assert.Equal(t, limits.Sliding, cfg.Window)
	assert.Equal(t, auth.DefaultTenant, cfg.Tenant)
	assert.Equal(t, []auth.Identity{auth.DefaultIdentity()}, cfg.Identities)
	assert.Equal(t, DefaultVaultName, cfg.VaultName)
	assert.False(t, cfg.RetryAfter)
	assert.WithinDuration(t, time.Now(), cfg.Clock.Now(), time.Minute)

	tok, err := v.Issuer().Issue(auth.DefaultClientID)
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
}

func TestConfigErrorsNameTheField(t *testing.T) {
	zeroWindow := limits.MustGet("2021")
	zeroWindow.Window = 0
	noLimits := limits.MustGet("2021")
	noLimits.Limits = nil
	for name, tc := range map[string]struct {
		cfg  Config
		want string
	}{
		"window model": {Config{Window: "tumbling"}, `unknown window model "tumbling"`},
		"zero window":  {Config{Profile: zeroWindow}, "window must be positive"},
		"no limits":    {Config{Profile: noLimits}, "has no limits"},
		"tenant":       {Config{Tenant: "not/a/tenant"}, "tenant"},
		"identity":     {Config{Identities: []auth.Identity{{ClientID: "c"}}}, "empty client secret"},
	} {
		_, err := newVault(tc.cfg, auth.WithKey(sharedKey()))
		assert.ErrorContains(t, err, tc.want, name)
	}
}

func TestTheVaultKeepsItsOwnCopyOfTheProfile(t *testing.T) {
	p := limited(t, 1, 1)
	e := newEnv(t, Config{Profile: p})
	p.Limits[limits.Secrets] = 1000
	assert.Equal(t, 200, e.call("GET", "/secrets", nil).Code)
	assert.Equal(t, 429, e.call("GET", "/secrets", nil).Code, "changing the caller's profile changes nothing")
}

func TestOtherTenantsAndIdentities(t *testing.T) {
	id := auth.Identity{ClientID: "app-1", ClientSecret: "pw-1", ObjectID: "obj-1"}
	e := newEnv(t, Config{Tenant: "contoso.example", Identities: []auth.Identity{id}, VaultName: "v1"})
	_, err := e.v.Issuer().Issue(auth.DefaultClientID)
	assert.ErrorIs(t, err, auth.ErrUnknownClient, "given identities replace the default")
	tok, err := e.v.Issuer().Issue("app-1")
	require.NoError(t, err)
	w := e.send("GET", withVersion("/secrets"), nil, "Bearer "+tok.AccessToken)
	assert.Equal(t, 200, w.Code)
	w = e.send("GET", withVersion("/secrets"), nil, "")
	assert.Equal(t, `Bearer authorization="https://vault.test/contoso.example", resource="https://vault.azure.net"`, w.Header().Get("WWW-Authenticate"))
	u := e.v.Usage()
	assert.Equal(t, 1, u.Total(), "quota is kept under the configured vault name")
}

func TestSigningKeyAndTokenLifetime(t *testing.T) {
	clk := clock.NewFake(t0)
	v, err := New(Config{Clock: clk, SigningKey: sharedKey(), TokenLifetime: 5 * time.Minute})
	require.NoError(t, err)
	tok, err := v.Issuer().Issue(v.Config().Identities[0].ClientID)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(5*time.Minute).Unix(), tok.ExpiresOn.Unix())
	pub, ok := v.Issuer().PublicKey(v.Issuer().KeyID())
	require.True(t, ok)
	assert.True(t, pub.Equal(&sharedKey().PublicKey), "tokens are signed with the given key")
}
