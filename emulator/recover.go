package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// trackingWriter remembers whether a response was started, so that a panic
// after that point is not answered twice.
type trackingWriter struct {
	http.ResponseWriter
	started bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.started = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.started = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// recoverPanic turns a panic in any step into a Key Vault 500: a bug in the
// emulator must not look like a dropped connection to a load test. It runs
// deferred in ServeHTTP.
func (v *Vault) recoverPanic(w *trackingWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler { //nolint:errorlint // net/http compares it the same way
		panic(p)
	}
	if !w.started {
		v.out.Error(w, r, kverror.Internal("The emulator failed while handling the request."))
	}
}
