package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// maxBody bounds a request body. Secret values are at most 25 KiB, so nothing
// legitimate comes near it.
const maxBody = 1 << 20

// decodeBody reads the request's JSON body into dst: 413 when it is larger
// than maxBody, 400 BadParameter when it is empty or not JSON of dst's shape.
func (rq *request) decodeBody(dst any) *kverror.Error {
	b, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return kverror.New(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
				"The request body is larger than "+strconv.Itoa(maxBody)+" bytes.")
		}
		return kverror.BadParameter("The request body could not be read.")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return kverror.BadParameter("The request body is empty; a JSON object is required.")
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return kverror.BadParameter("The request body is not valid JSON for this operation: " + jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the body (which may
// hold a secret value).
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "syntax error at byte " + strconv.FormatInt(syn.Offset, 10) + "."
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return "'" + field + "' must be " + typ.Type.String() + ", not a JSON " + typ.Value + "."
	default:
		return "the body is not a JSON object."
	}
}
