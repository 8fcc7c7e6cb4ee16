package emulator

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/limits"
)

// route is one operation, declared once (see routeSets for the fields and
// why each is required).
type route struct {
	method  string
	pattern string
	handle  func(*request)
	// classify names the request's transaction class for quota; ok false means
	// the request uses no quota. It gets the matched request (path parameters,
	// the vault) because some classes depend on the object: a key operation's
	// class is its key's type and protection.
	classify func(*request) (limits.Class, bool)
	// need is the permission the operation needs (its Name is empty; the
	// vault fills it from the path).
	need access.Operation
	// state says whether the operation can change the vault's objects.
	state stateEffect

	segs     []string // pattern split on '/'
	literals int      // how many of segs are literals: more wins
}

// router matches requests to routes. Routes are kept by collection (their first
// path segment), so each collection's operations live in a file of their own
// and the router never changes when one is added. Matching is
// case-insensitive on literal segments, as Key Vault's is.
type router struct {
	byCollection map[string][]*route
}

func newRouter() *router { return &router{byCollection: map[string][]*route{}} }

// add registers routes; it panics on an incomplete declaration
// (checkDeclaration).
func (rt *router) add(routes ...route) {
	for _, r := range routes {
		checkDeclaration(&r)
		r.segs = strings.Split(r.pattern, "/")
		for _, s := range r.segs {
			if !isParam(s) {
				r.literals++
			}
		}
		coll := strings.ToLower(r.segs[0])
		rt.byCollection[coll] = append(rt.byCollection[coll], &r)
	}
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// has reports whether collection is served.
func (rt *router) has(collection string) bool {
	return len(rt.byCollection[strings.ToLower(collection)]) > 0
}

// splitPath splits a request path into segments, ignoring leading and
// trailing slashes ("//secrets/a/" is secrets, a: clients build paths from a
// vault URL that may end in '/', and the Azure SDK for Go asks for the latest
// version as "/secrets/a/").
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match finds the route for method and path: of the routes whose pattern
// fits, the one with the most literal segments. It answers 404 for a path no
// route has, 405 for a known path with another method (allowed lists the
// methods it has), and 400 for an invalid object name. The vault sends these
// only after authentication, as Key Vault does.
func (rt *router) match(method, path string) (r *route, params map[string]string, allowed []string, e *kverror.Error) {
	segs := splitPath(path)
	if len(segs) == 0 {
		return nil, nil, nil, errNoRoute(method, path)
	}
	for _, cand := range rt.byCollection[strings.ToLower(segs[0])] {
		ps, ok := cand.matchPath(segs)
		if !ok {
			continue
		}
		if cand.method != method {
			allowed = append(allowed, cand.method)
			continue
		}
		if r == nil || cand.literals > r.literals {
			r, params = cand, ps
		}
	}
	if r != nil {
		if name, ok := params["name"]; ok && !validName(name) {
			return nil, nil, nil, errBadName(name)
		}
		return r, params, nil, nil
	}
	if len(allowed) > 0 {
		sort.Strings(allowed)
		allowed = slices.Compact(allowed)
		return nil, nil, allowed, errMethodNotAllowed(method, allowed)
	}
	return nil, nil, nil, errNoRoute(method, path)
}

// quotaClass is the request's transaction class; a route without classify
// uses no quota.
func (r *route) quotaClass(rq *request) (limits.Class, bool) {
	if r.classify == nil {
		return "", false
	}
	return r.classify(rq)
}

func (r *route) matchPath(segs []string) (map[string]string, bool) {
	if len(segs) != len(r.segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range r.segs {
		if isParam(p) {
			if p == "{version}" && isPathWord(segs[i]) {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, 2)
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return nil, false
		}
	}
	return params, true
}

// pathWords are the literal path segments of the Key Vault data plane
// (keys.json, secrets.json, certificates.json of the 2025-07-01 spec). None
// is ever a version id: Key Vault's are 32 hex digits.
var pathWords = map[string]bool{
	"versions": true, "create": true, "import": true, "backup": true, "restore": true,
	"recover": true, "rotate": true, "rotationpolicy": true, "release": true,
	"attestation": true, "sign": true, "verify": true, "encrypt": true, "decrypt": true,
	"wrapkey": true, "unwrapkey": true, "pending": true, "merge": true, "policy": true,
	"contacts": true, "issuers": true,
}

func isPathWord(seg string) bool { return pathWords[strings.ToLower(seg)] }

// errNoRoute is the answer to a path or method the emulator does not serve
// (after authentication: an unauthenticated request gets the 401 first).
func errNoRoute(method, path string) *kverror.Error {
	return kverror.New(http.StatusNotFound, "NotFound",
		"The requested operation "+clip(method)+" "+clip(path)+" is not a Key Vault operation this emulator serves.")
}

// errMethodNotAllowed keeps Key Vault's JSON error body; net/http's text 405
// would not parse in a Key Vault client.
func errMethodNotAllowed(method string, allowed []string) *kverror.Error {
	return kverror.New(http.StatusMethodNotAllowed, "MethodNotAllowed",
		"The requested resource does not support http method '"+clip(method)+"'. Allowed: "+strings.Join(allowed, ", ")+".")
}

// clip bounds what a body echoes of the request.
func clip(s string) string {
	const n = 256
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
