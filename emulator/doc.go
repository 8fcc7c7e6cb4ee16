// Package emulator is an emulated Azure Key Vault: an http.Handler that answers
// the secrets, keys and certificates data planes like the real service (keys
// with their whole lifecycle: versions, update, import, deleted keys, backup
// and restore, rotation and rotation policies; certificates with their
// policies, pending operations, merge, import, contacts and issuers, each
// owning a managed key and secret; all under the vault's DeletionPolicy),
// with its own Azure AD token endpoints, 401 challenges, and 429 throttling
// on the documented per-window limits of a limits.Profile.
//
// Every data-plane request goes through the same steps, in the real service's
// order, and stops at the first that refuses it:
//
//  1. api-version: a missing or unknown api-version is a 400;
//  2. authentication: no valid bearer token is a 401 with a challenge that
//     names the emulator itself as the authority (see package auth), or
//     login.microsoftonline.com for a vault reached by its real host name
//     (<vault>.vault.azure.net, drop-in mode: dropin.go), whatever the path,
//     so that a client learns the tenant before anything else; then the
//     route: a path or method the emulator does not serve is a 404/405 Key
//     Vault error, an invalid object name a 400; then access: the firewall
//     (on the connection's address), access policies or RBAC refuse with a
//     403 and Key Vault's innererror (see package access, Config.Access, and
//     the permission each route declares);
//  3. quota: a request over its vault's or the subscription's window is a 429
//     (see package quota) and uses no quota;
//  4. the operation, which uses quota whatever its outcome (a 404 included).
//
// The token endpoints, POST /{tenant}/oauth2/token and
// /{tenant}/oauth2/v2.0/token, and Azure AD's discovery documents (the
// tenant's OpenID configuration, its keys, /common/discovery/instance)
// bypass all of this. Every response carries Key
// Vault's common headers (package kverror), and no input, however bad, gets
// anything but a Key Vault JSON body.
//
// Operations are grouped by collection (the first path segment) in route
// tables, one file per collection, and each route is declared once with its
// handler, quota class, permission and whether it changes state (routeSets in
// routes.go): adding a collection is a new file and one line in routeSets.
package emulator
