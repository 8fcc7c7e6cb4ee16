// Package sdktest proves the emulated vault's fidelity with the official Azure
// SDK for Go as the client: azidentity's ClientSecretCredential signs in at the
// emulator's own authority (instance discovery off, so MSAL reads only the
// tenant's OpenID configuration and token endpoint), and the azsecrets and
// azkeys clients go through Key Vault's challenge flow over HTTPS that trusts
// only the emulator's CA. Everything stays on loopback.
//
// The package holds tests only; this file exists so that `go vet` and
// `go doc` have a package to name.
package sdktest
