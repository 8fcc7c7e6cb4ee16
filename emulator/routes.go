package emulator

import (
	"fmt"
	"net/http"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/limits"
)

// A route is declared once, and that one declaration is the only source of
// everything the vault decides about a request to it:
//
//		{method: http.MethodGet, pattern: "keys/{name}/versions", handle: listKeyVersions,
//		    classify: classifyKey, need: keysNeed("list"), state: reads}
//
//	  - method and pattern: what it matches. Pattern segments are literals
//	    (matched case-insensitively) or parameters in braces; rq.param("name")
//	    reads them. A literal always wins over a parameter, and {version} never
//	    takes a Key Vault path word (pathWords), so "keys/k/rotationpolicy" is
//	    never read as version "rotationpolicy" of key k.
//	  - handle: the operation.
//	  - classify: the quota class (which limits row it counts against).
//	  - need: the access-policy permission it needs on its collection, which
//	    access policies, RBAC and the firewall judge (package access).
//	  - state: reads or changes; a route that changes state makes --data
//	    persistence write a snapshot.
//
// Every field is required: router.add panics on a declaration that lacks
// one, so a route cannot be half-added (every test that builds a vault
// would fail). TestEveryRouteIsDeclared holds each route's class and
// permission against an example path.
//
// A new collection is a new file with a function returning its routes
// (func(*Vault) []route) and one entry in routeSets; nothing else changes.
var routeSets = []func(*Vault) []route{
	secretRoutes,
	deletedSecretRoutes,
	keyRoutes,
	deletedKeyRoutes,
	rngRoutes,
	certificateRoutes,
}

// stateEffect says whether a route can change the vault's objects.
type stateEffect int

const (
	_       stateEffect = iota // the zero value is "not declared"
	reads                      // reads only (gets, lists, cryptographic operations)
	changes                    // creates, updates, deletes, recovers, purges...
)

// secretsNeed and keysNeed name the permission a route needs on its
// collection.
func secretsNeed(perm string) access.Operation {
	return access.Operation{Collection: access.Secrets, Permission: perm}
}

func keysNeed(perm string) access.Operation {
	return access.Operation{Collection: access.Keys, Permission: perm}
}

// classifySecret is the quota class of every secrets and deleted-secrets
// operation (limits.ClassifySecretRequest).
func classifySecret(rq *request) (limits.Class, bool) {
	return limits.ClassifySecretRequest(rq.r.Method, rq.r.URL.Path)
}

// checkDeclaration panics when a route lacks part of its declaration.
func checkDeclaration(r *route) {
	what := r.method + " " + r.pattern
	switch {
	case r.method == "" || r.pattern == "":
		panic(fmt.Sprintf("emulator: route %q without method or pattern", what))
	case r.handle == nil:
		panic("emulator: route " + what + " has no handler")
	case r.classify == nil:
		panic("emulator: route " + what + " has no quota class (classify)")
	case !access.KnownPermission(r.need.Collection, r.need.Permission):
		panic(fmt.Sprintf("emulator: route %s needs %q on %q, which access does not know", what, r.need.Permission, r.need.Collection))
	case r.state != reads && r.state != changes:
		panic("emulator: route " + what + " does not say whether it changes state")
	}
	if r.method != http.MethodGet && r.method != http.MethodPost && r.method != http.MethodPut &&
		r.method != http.MethodPatch && r.method != http.MethodDelete {
		panic("emulator: route " + what + " has an unknown method")
	}
}
