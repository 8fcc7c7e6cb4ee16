package emulator_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// sdkClients is an emulator served over HTTPS on 127.0.0.1 with the official
// Azure SDK clients signed in to it.
type sdkClients struct {
	srv     *emulator.Server
	secrets *azsecrets.Client
	keys    *azkeys.Client
}

func startSDK(t *testing.T, cfg emulator.Config) sdkClients {
	t.Helper()
	v, err := emulator.New(cfg)
	require.NoError(t, err)
	srv, err := emulator.Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12}}}
	t.Cleanup(hc.CloseIdleConnections)
	opts := azcore.ClientOptions{Transport: hc, Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL + "/"}}
	id := auth.DefaultIdentity()
	cred, err := azidentity.NewClientSecretCredential(v.Config().Tenant, id.ClientID, id.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
	require.NoError(t, err)
	sc, err := azsecrets.NewClient(srv.URL, cred, &azsecrets.ClientOptions{ClientOptions: opts, DisableChallengeResourceVerification: true})
	require.NoError(t, err)
	kc, err := azkeys.NewClient(srv.URL, cred, &azkeys.ClientOptions{ClientOptions: opts, DisableChallengeResourceVerification: true})
	require.NoError(t, err)
	return sdkClients{srv: srv, secrets: sc, keys: kc}
}

// TestPersistRestart sets secrets and creates keys through the Azure SDK,
// stops the emulator, starts a new one on the same data directory, and reads
// everything back: all versions with their attributes, tags and content
// types, a soft-deleted secret that can still be recovered, and keys whose
// material survived (a signature and a ciphertext made before the restart
// verify and decrypt after it).
func TestPersistRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := emulator.Config{DataDir: dir, ReuseKeyMaterial: true}

	a := startSDK(t, cfg)
	v1, err := a.secrets.SetSecret(ctx, "db-password", azsecrets.SetSecretParameters{Value: to.Ptr("first")}, nil)
	require.NoError(t, err)
	exp := time.Unix(4102444800, 0).UTC() // 2100-01-01
	v2, err := a.secrets.SetSecret(ctx, "db-password", azsecrets.SetSecretParameters{
		Value: to.Ptr("second"), ContentType: to.Ptr("text/plain"),
		Tags:             map[string]*string{"env": to.Ptr("test")},
		SecretAttributes: &azsecrets.SecretAttributes{Expires: &exp},
	}, nil)
	require.NoError(t, err)
	_, err = a.secrets.SetSecret(ctx, "Gone-Soon", azsecrets.SetSecretParameters{Value: to.Ptr("x")}, nil)
	require.NoError(t, err)
	_, err = a.secrets.DeleteSecret(ctx, "Gone-Soon", nil)
	require.NoError(t, err)

	rsaKey, err := a.keys.CreateKey(ctx, "signer", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeRSA), KeySize: to.Ptr(int32(2048))}, nil)
	require.NoError(t, err)
	ecKey, err := a.keys.CreateKey(ctx, "ec-signer", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC), Curve: to.Ptr(azkeys.CurveNameP256)}, nil)
	require.NoError(t, err)
	digest := sha256.Sum256([]byte("signed before the restart"))
	sig, err := a.keys.Sign(ctx, "signer", "", azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Value: digest[:]}, nil)
	require.NoError(t, err)
	ecSig, err := a.keys.Sign(ctx, "ec-signer", "", azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Value: digest[:]}, nil)
	require.NoError(t, err)
	enc, err := a.keys.Encrypt(ctx, "signer", "", azkeys.KeyOperationParameters{Algorithm: to.Ptr(azkeys.EncryptionAlgorithmRSAOAEP256), Value: []byte("sealed before")}, nil)
	require.NoError(t, err)
	require.NoError(t, a.srv.Close())

	fi, err := os.Stat(filepath.Join(dir, emulator.StateFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the state holds secret values and private keys")

	b := startSDK(t, cfg)
	got, err := b.secrets.GetSecret(ctx, "db-password", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "second", *got.Value)
	assert.Equal(t, v2.ID.Version(), got.ID.Version())
	assert.Equal(t, "text/plain", *got.ContentType)
	assert.Equal(t, "test", *got.Tags["env"])
	require.NotNil(t, got.Attributes.Expires)
	assert.True(t, exp.Equal(*got.Attributes.Expires))
	old, err := b.secrets.GetSecret(ctx, "db-password", v1.ID.Version(), nil)
	require.NoError(t, err)
	assert.Equal(t, "first", *old.Value)

	_, err = b.secrets.GetSecret(ctx, "Gone-Soon", "", nil)
	require.Error(t, err, "a soft-deleted secret stays deleted")
	_, err = b.secrets.RecoverDeletedSecret(ctx, "Gone-Soon", nil)
	require.NoError(t, err)
	rec, err := b.secrets.GetSecret(ctx, "gone-soon", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "x", *rec.Value)

	// The vault still verifies and decrypts with the old material ...
	ok, err := b.keys.Verify(ctx, "signer", "", azkeys.VerifyParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Digest: digest[:], Signature: sig.Result}, nil)
	require.NoError(t, err)
	assert.True(t, *ok.Value)
	ok, err = b.keys.Verify(ctx, "ec-signer", "", azkeys.VerifyParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Digest: digest[:], Signature: ecSig.Result}, nil)
	require.NoError(t, err)
	assert.True(t, *ok.Value)
	dec, err := b.keys.Decrypt(ctx, "signer", "", azkeys.KeyOperationParameters{Algorithm: to.Ptr(azkeys.EncryptionAlgorithmRSAOAEP256), Value: enc.Result}, nil)
	require.NoError(t, err)
	assert.Equal(t, "sealed before", string(dec.Result))

	// ... and the public key it shows is the one that signed before.
	k, err := b.keys.GetKey(ctx, "signer", "", nil)
	require.NoError(t, err)
	assert.Equal(t, rsaKey.Key.KID.Version(), k.Key.KID.Version())
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(k.Key.N), E: int(new(big.Int).SetBytes(k.Key.E).Int64())}
	require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig.Result))
	ek, err := b.keys.GetKey(ctx, "ec-signer", "", nil)
	require.NoError(t, err)
	assert.Equal(t, ecKey.Key.X, ek.Key.X)

	// A signature made after the restart verifies with the same public key.
	sig2, err := b.keys.Sign(ctx, "signer", "", azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Value: digest[:]}, nil)
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig2.Result))
}
