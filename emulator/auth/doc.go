// Package auth is the emulated vault's Azure AD: a token issuer with its own
// RSA key and client-credentials token endpoints (v1 and v2), and the
// validator that the vault runs on every data-plane request.
//
// The issuer signs RS256 JWTs shaped like the v1 access tokens Azure AD gives
// Key Vault clients (aud https://vault.azure.net, iss
// https://sts.windows.net/<tenant>/, appid, oid, tid, ver 1.0). The validator
// checks them the way Key Vault does and says why a token is refused (a
// Reason), so the 401 bodies can be as specific as the real service's.
//
// The issuer also publishes its tenant's OpenID configuration (v1 and v2) and
// JWKS (openid.go), which is all MSAL for Go needs to sign a
// ClientSecretCredential in with instance discovery off, and can rotate its
// signing key (rotate.go). Access policies, RBAC and the firewall (403s, in
// package access) get the Principal that Validate returns.
package auth
