package assert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
)

// errorShape is the body Key Vault sends with one error status:
// {"error":{"code":Code,"message":"..."}} as application/json. The error-shape
// check judges every response whose status has an entry in errorShapes, so
// checking 401 and 403 bodies is one more entry there.
type errorShape struct {
	status int
	// code is the exact error.code Key Vault sends with the status.
	code string
}

// errorShapes holds the statuses whose bodies the error-shape check judges.
var errorShapes = map[int]errorShape{
	http.StatusTooManyRequests: {status: http.StatusTooManyRequests, code: "Throttled"},
	// 401 and 403 bodies (authcheck.go judges their challenge and innererror
	// per auth case).
	http.StatusUnauthorized: {status: http.StatusUnauthorized, code: "Unauthorized"},
	http.StatusForbidden:    {status: http.StatusForbidden, code: "Forbidden"},
}

// kvError is Key Vault's error model, as much of it as the shape check reads.
type kvError struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// bodyProblem says what is wrong with an error body, or "" when it has the shape.
func (s errorShape) bodyProblem(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "the body is empty"
	}
	var e kvError
	if err := json.Unmarshal(body, &e); err != nil {
		return "the body is not JSON"
	}
	switch {
	case e.Error == nil:
		return `the body has no "error" object`
	case e.Error.Code != s.code:
		return fmt.Sprintf("error.code is %q, want %q", e.Error.Code, s.code)
	case e.Error.Message == "":
		return "error.message is empty"
	}
	return ""
}

// contentTypeProblem says what is wrong with a Content-Type header value, or "".
func contentTypeProblem(ct string) string {
	if ct == "" {
		return "no Content-Type header"
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Sprintf("Content-Type is %q, want application/json", ct)
	}
	return ""
}

// shapeMemo remembers the last body and Content-Type found good, per status.
// A target sends the same bytes with every 429, so under overload almost every
// body is judged by one bytes.Equal instead of a JSON decode.
type shapeMemo struct {
	body map[int][]byte
	ct   map[int]string
}

// problem judges one error response of a status listed in errorShapes. h is
// nil when the run was stored without response headers; the Content-Type is
// then not judged and known reports false.
func (m *shapeMemo) problem(s errorShape, body []byte, h http.Header) (problem string, known bool) {
	if m.body == nil {
		m.body, m.ct = make(map[int][]byte), make(map[int]string)
	}
	if good, ok := m.body[s.status]; !ok || !bytes.Equal(good, body) {
		if p := s.bodyProblem(body); p != "" {
			return p, h != nil
		}
		m.body[s.status] = bytes.Clone(body)
	}
	if h == nil {
		return "", false
	}
	ct := h.Get("Content-Type")
	if good, ok := m.ct[s.status]; !ok || good != ct {
		if p := contentTypeProblem(ct); p != "" {
			return p, true
		}
		m.ct[s.status] = ct
	}
	return "", true
}
