// Package access decides the emulated vault's 403s: the firewall (network
// rules on the client's address, taken from the connection), then the
// permission model, either access policies (object id → permissions per
// operation on secrets and keys) or Azure RBAC (object id → roles). It only
// decides; the vault writes the Key Vault error body it returns.
//
// Order and texts follow the real service: the firewall answers before any
// permission check, and each denial carries Key Vault's code "Forbidden" with
// the innererror that tells the causes apart (ForbiddenByFirewall,
// AccessDenied, ForbiddenByRbac). Sources of each text are in denial.go.
package access
