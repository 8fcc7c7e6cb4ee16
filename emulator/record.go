package emulator

import (
	"net"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Anonymous is the identity recorded for a request with no valid token: the
// Azure SDK's first, unauthenticated request of its challenge flow, or a
// client whose token the vault refused.
const Anonymous = "anonymous"

// RequestObserver is an Observer that also wants each request's details:
// who sent it and when, so that `kvquota clientcheck` can judge how a client
// backs off after a 429. The vault checks for it with a type assertion on
// Config.Observer, so an Observer that only counts (metrics) pays nothing.
// ObserveDetail is called on the request's goroutine after the answer; it
// must be safe for concurrent use and quick.
type RequestObserver interface {
	Observer
	ObserveDetail(RequestInfo)
}

// RequestInfo is one request as the vault answered it. It holds no token, no
// query string and no body: nothing secret is recorded.
type RequestInfo struct {
	// Start is when the request arrived and End when its answer was done,
	// both by the vault's clock.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Decided is when the quota step decided on the request (zero when it
	// never reached it): the moment a client can only bound by its send and
	// answer times.
	Decided time.Time `json:"decided,omitzero"`
	// AppID and ObjectID are the appid and oid of a valid token; Anonymous
	// (and empty) when there was none or it was refused.
	AppID    string `json:"appid"`
	ObjectID string `json:"oid,omitempty"`
	// Source is the IP address of the TCP connection, never a header.
	Source string `json:"source"`
	Method string `json:"method"`
	// Path is the URL path only: the query (api-version, skip tokens) is
	// left out.
	Path  string `json:"path"`
	Vault string `json:"vault"`
	// Class is the transaction class the request was counted against; empty
	// when it never reached the quota step (token requests, 401s, bad routes).
	Class  limits.Class `json:"class,omitempty"`
	Status int          `json:"status"`
	// RetryAfter is the Retry-After header sent, as sent ("" for none).
	RetryAfter string `json:"retry_after,omitempty"`
	// ClientRequestID is the client's x-ms-client-request-id, which the Azure
	// SDKs keep across the retries of one call.
	ClientRequestID string `json:"client_request_id,omitempty"`
}

// requestInfo fills what is known of r before it is answered. The token is
// validated a second time here rather than threaded out of ServeHTTP, so
// that recording stays out of the request path's steps (the signature is not
// checked again: the validator remembers verified tokens); a request that
// fails validation is recorded as Anonymous.
func (v *Vault) requestInfo(r *http.Request) RequestInfo {
	info := RequestInfo{
		Start:           v.cfg.Clock.Now(),
		AppID:           Anonymous,
		Method:          r.Method,
		Path:            r.URL.Path,
		Vault:           v.cfg.VaultName,
		ClientRequestID: r.Header.Get("x-ms-client-request-id"),
	}
	if name, _ := limits.SplitVault(r.URL.Path); name != "" {
		info.Vault = name
	}
	info.Source = r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		info.Source = host
	}
	if h := r.Header.Get("Authorization"); h != "" {
		if p, err := v.validator.Validate(h); err == nil {
			info.AppID, info.ObjectID = p.ClientID, p.ObjectID
		}
	}
	return info
}

// finish completes the observation's details with the answer and hands them
// to the RequestObserver.
func (ob *observation) finish() {
	ob.info.End = ob.now()
	ob.info.Class, ob.info.Status = ob.class, ob.status
	ob.info.RetryAfter = ob.sw.Header().Get("Retry-After")
	ob.rec.ObserveDetail(ob.info)
}
