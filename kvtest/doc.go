// Package kvtest is an emulated Azure Key Vault for Go tests, as
// net/http/httptest is a server for net/http tests: one call starts kvquota's
// emulated vault in-process, on loopback, over HTTPS, and returns what the
// official Azure SDK for Go needs to use it unchanged: the vault's URL, an
// azcore.TokenCredential, and client options for azsecrets, azkeys and
// azcertificates.
//
//	func TestReadsConfig(t *testing.T) {
//		v := kvtest.New(t, kvtest.WithProfile("2025", "secrets=5"))
//		client, err := azsecrets.NewClient(v.URL, v.Credential, v.SecretsOptions())
//		require.NoError(t, err)
//		// ... the code under test uses client as it would a real vault ...
//		v.Advance(10 * time.Second) // the quota window moves on; the test does not wait
//	}
//
// What the vault is: the same emulator `kvquota emulate` serves, with Key
// Vault's 401 challenge, tokens from its own Azure AD endpoints, 403s from
// access policies, RBAC or the firewall when configured (WithConfig), and 429
// throttling on the documented limits, on by default as in Key Vault, with
// Key Vault's body: {"error":{"code":"Throttled","message":"Request was not
// processed because too many requests were received. Reason:
// VaultRequestTypeLimitReached"}} (the SDK's *azcore.ResponseError has
// StatusCode 429 and ErrorCode "Throttled").
//
// How the SDK reaches it without any of its checks turned off: the URL is a
// real-looking vault host, https://kvtest.vault.azure.net/, and the options'
// transport dials the emulator's loopback port whatever host a request names
// (as a hosts-file line would), trusting only the emulator's own CA. So the
// Key Vault clients' challenge resource verification stays on, and the
// credential signs in at login.microsoftonline.com, which the same transport
// also takes to the emulator. Nothing a client built with these options sends
// leaves loopback; a client built without them goes to the real host name.
//
// Time: the vault runs on a fake clock (emulator/clock), starting at the wall
// clock's time, that moves only when the test calls Advance. A test fills a
// quota window, sees the 429, steps past the window and carries on, in
// milliseconds. Token lifetimes follow the same clock (a day, so that
// ordinary Advances keep the credential's cached token valid).
//
// Retries: the SDK retries a 429 three times by default, waiting real time
// (about 0.6-1 s, 2-3 s, 4.5-7 s) while the fake clock stands still, so a
// test that wants to see the 429 sets Retry.MaxRetries to -1 on the options
// it is given (see the package example).
package kvtest
