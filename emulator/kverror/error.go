// Package kverror is Key Vault's error model and response writer.
//
// Every Key Vault error body has the shape
//
//	{"error":{"code":"...","message":"...","innererror":{"code":"..."}}}
//
// with innererror left out when there is none, and every response, success or
// error, carries the service's common headers (see Writer). Clients and the
// assert package recognise Key Vault by exactly these, so the emulator builds
// every response through this package.
package kverror

import "net/http"

// Error is the "error" member of a Key Vault error body.
type Error struct {
	// Status is the HTTP status the error is answered with; it is not part of
	// the body.
	Status     int    `json:"-"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	InnerError *Inner `json:"innererror,omitempty"`
}

// Inner is the optional innererror member, e.g. {"code":"SecretDisabled"}.
type Inner struct {
	Code string `json:"code"`
}

// Body is a whole Key Vault error body.
type Body struct {
	Error *Error `json:"error"`
}

// Error makes *Error usable as a Go error, for code that passes it along.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// WithInner returns a copy of e with the given innererror code.
func (e *Error) WithInner(code string) *Error {
	c := *e
	c.InnerError = &Inner{Code: code}
	return &c
}

// New returns an error answered with status.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// ThrottledMessage is the text of Key Vault's 429, as captured from the real
// service (vcsjones/AzureSignTool#219, quoted in shared/KEYVAULT.md).
const ThrottledMessage = "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached"

// Throttled is the 429 Key Vault answers when a vault or subscription runs out
// of quota. The real body has no innererror.
func Throttled() *Error {
	return New(http.StatusTooManyRequests, "Throttled", ThrottledMessage)
}

// Unauthorized is a 401 with the given AKV-style message.
func Unauthorized(message string) *Error {
	return New(http.StatusUnauthorized, "Unauthorized", message)
}

// BadParameter is Key Vault's usual 400.
func BadParameter(message string) *Error {
	return New(http.StatusBadRequest, "BadParameter", message)
}

// Internal is the 500 answered when the emulator itself fails.
func Internal(message string) *Error {
	return New(http.StatusInternalServerError, "InternalServerError", message)
}
