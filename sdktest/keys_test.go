package sdktest

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
)

// TestKeysSignVerify creates an RSA key with azkeys, signs a digest and has
// the vault verify it: the same sign-in and challenge flow as secrets, on the
// keys data plane (served by the emulator's key routes).
func TestKeysSignVerify(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.keys()
	ctx := context.Background()

	created, err := c.CreateKey(ctx, "sdk-key", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeRSA), KeySize: to.Ptr(int32(2048))}, nil)
	require.NoError(t, err)
	require.NotNil(t, created.Key)
	assert.Equal(t, "sdk-key", created.Key.KID.Name())

	digest := sha256.Sum256([]byte("kvquota"))
	signed, err := c.Sign(ctx, "sdk-key", created.Key.KID.Version(), azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Value: digest[:]}, nil)
	require.NoError(t, err)
	require.NotEmpty(t, signed.Result)

	ok, err := c.Verify(ctx, "sdk-key", created.Key.KID.Version(), azkeys.VerifyParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Digest: digest[:], Signature: signed.Result}, nil)
	require.NoError(t, err)
	require.NotNil(t, ok.Value)
	assert.True(t, *ok.Value)

	got, err := c.GetKey(ctx, "sdk-key", "", nil)
	require.NoError(t, err)
	assert.Equal(t, created.Key.KID.Version(), got.Key.KID.Version())
}
