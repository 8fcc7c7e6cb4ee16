package kverror

import (
	"net/http"
	"strconv"
)

// Wrong429 deliberately breaks the writer's 429s, so that a gate's
// error-shape check can be shown to fail a target that answers throttling in
// another shape (emulator.Fault names each for the command line). The zero
// value is faithful.
type Wrong429 struct {
	// NotKeyVaultBody answers a 429 with a JSON body that is not Key Vault's
	// error shape, {"message":"Too Many Requests"}: what a generic gateway
	// or rate-limiting middleware in front of a vault typically sends.
	NotKeyVaultBody bool
	// TextPlain answers a 429 with Key Vault's body but Content-Type
	// text/plain, as a handler that forgets to set the header on its error
	// path does.
	TextPlain bool
}

// gatewayBody is the body of a NotKeyVaultBody 429.
const gatewayBody = `{"message":"Too Many Requests"}`

// throttled answers a 429 as w says, reporting false when w is faithful and
// the caller should answer it as usual.
func (w Wrong429) throttled(wr Writer, rw http.ResponseWriter, r *http.Request, body []byte) bool {
	if !w.NotKeyVaultBody && !w.TextPlain {
		return false
	}
	ct := ContentType
	if w.NotKeyVaultBody {
		body = []byte(gatewayBody)
	}
	if w.TextPlain {
		ct = "text/plain; charset=utf-8"
	}
	wr.setCommon(rw, r)
	rw.Header().Set("Content-Type", ct)
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(http.StatusTooManyRequests)
	if r.Method != http.MethodHead {
		_, _ = rw.Write(body)
	}
	return true
}
