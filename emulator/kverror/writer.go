package kverror

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// ContentType is the media type of every Key Vault body.
const ContentType = "application/json; charset=utf-8"

// Writer writes Key Vault responses: JSON bodies with the service's common
// headers (Cache-Control, Pragma, Expires, x-ms-request-id, the echoed
// x-ms-client-request-id, x-ms-keyvault-region, -service-version and
// -network-info) on every response, successes included.
type Writer struct {
	// Region is x-ms-keyvault-region (DefaultRegion when empty).
	Region string
	// ServiceVersion is x-ms-keyvault-service-version (DefaultServiceVersion
	// when empty).
	ServiceVersion string
	// Wrong429 deliberately breaks 429s (see Wrong429); zero is faithful.
	Wrong429 Wrong429
}

// JSON answers status with v as the body.
func (wr Writer) JSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only the emulator's own types reach here; a failure is a bug, and it
		// still gets a Key Vault body.
		status = http.StatusInternalServerError
		body, _ = json.Marshal(Body{Error: Internal("encoding the response failed")})
	}
	if status == http.StatusTooManyRequests && wr.Wrong429.throttled(wr, w, r, body) {
		return
	}
	wr.setCommon(w, r)
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// Error answers e with its status.
func (wr Writer) Error(w http.ResponseWriter, r *http.Request, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	wr.JSON(w, r, status, Body{Error: e})
}

// NoContent answers 204 with the common headers and no body. Like the real
// service (purge answers 204 without Content-Type), it sets no Content-Type,
// as there is no content to describe.
func (wr Writer) NoContent(w http.ResponseWriter, r *http.Request) {
	wr.setCommon(w, r)
	w.WriteHeader(http.StatusNoContent)
}

// RetryAfter formats d as a Retry-After value: whole seconds, rounded up, and at
// least 1 (a refused request never has room again "now").
func RetryAfter(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(s, 10)
}
