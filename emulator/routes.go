package emulator

import "github.com/kvquota/kvquota/limits"

// routeSets lists the collections the vault serves, each in a file of its own.
// Keys come in as one more entry.
var routeSets = []func(*Vault) []route{
	secretRoutes,
	deletedSecretRoutes,
	keyRoutes,
	certificateRoutes,
}

// classifySecret is the quota class of every secrets and deleted-secrets
// operation (limits.ClassifySecretRequest).
func classifySecret(rq *request) (limits.Class, bool) {
	return limits.ClassifySecretRequest(rq.r.Method, rq.r.URL.Path)
}
