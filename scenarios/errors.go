package scenarios

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Error is a problem with a scenario file. It prints the way compilers do,
// "FILE:LINE:COLUMN: FIELD: MESSAGE", so editors and CI logs can jump to it:
//
//	scenarios/x.yaml:12:5: stages[1].rate: "fast" is not a rate (want ...)
//
// Field is the path of the offending value, with list indices counted from 0
// as in the file (stages[1] is the second stage). Line, Column and Field are
// zero or empty when the problem is not about one place (an unreadable file).
type Error struct {
	File   string
	Line   int
	Column int
	Field  string
	Msg    string
	// Err is the underlying cause, when there is one (a file that cannot be
	// read), so errors.Is(err, fs.ErrNotExist) works.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// yamlLine picks the line out of the parser's "yaml: line N: msg" errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns an error of the YAML parser into an *Error with the line
// it names, so a tab in the wrong place reads like every other problem.
func syntaxError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}
