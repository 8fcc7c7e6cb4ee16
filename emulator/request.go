package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/kverror"
)

// request is one data-plane request on its way through the vault.
type request struct {
	w          http.ResponseWriter
	r          *http.Request
	v          *Vault
	base       string // the vault's URL, e.g. https://127.0.0.1:8443
	apiVersion string
	route      *route // the matched route; nil until matched
	params     map[string]string
	principal  *auth.Principal
}

// param returns a path parameter of the matched route, e.g. "name".
func (rq *request) param(name string) string { return rq.params[name] }

// client is the caller's application id (the token's appid), empty before
// authentication.
func (rq *request) client() string {
	if rq.principal == nil {
		return ""
	}
	return rq.principal.ClientID
}

func (rq *request) fail(e *kverror.Error) { rq.v.out.Error(rq.w, rq.r, e) }

func (rq *request) ok(v any) { rq.v.out.JSON(rq.w, rq.r, http.StatusOK, v) }

func (rq *request) noContent() { rq.v.out.NoContent(rq.w, rq.r) }
