package assert

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// authTally is what one auth case's responses came to.
type authTally struct {
	sent, wrong, noHeaders int
	first                  string // the first wrong answer, described
}

// authPass tallies, in reduce's one read of the results, the answers to each
// auth case.
type authPass struct {
	tallies map[string]*authTally
}

func newAuthPass() *authPass { return &authPass{tallies: make(map[string]*authTally)} }

func (a *authPass) add(res *vegeta.Result) {
	c, ok := scenarios.AuthCaseOf(res.URL)
	if !ok {
		return
	}
	t := a.tallies[c.Name]
	if t == nil {
		t = &authTally{}
		a.tallies[c.Name] = t
	}
	t.sent++
	// Only refusals are judged on their headers; a success is stored
	// without them (results.Writer).
	if res.Headers == nil && c.Status != 0 {
		t.noHeaders++
	}
	if p := authProblem(c, res); p != "" {
		t.wrong++
		if t.first == "" {
			t.first = p
		}
	}
}

// checkAuth judges an auth-probe run (scenarios.CheckAuth): one verdict per
// case of scenarios.AuthCases, in their order. A case passes when every one of
// its requests was answered as Key Vault answers it; a case the run never
// sent (a forged case against a real vault) gets no verdict, and a run that
// sent none at all is an error.
func checkAuth(in *Input, a *authPass) ([]Verdict, error) {
	tallies := a.tallies
	if len(tallies) == 0 {
		return nil, fmt.Errorf("assert: check %s: the run holds no auth-probe request (URLs ending in -<case>, e.g. -expired)", scenarios.CheckAuth)
	}
	var vs []Verdict
	for _, c := range scenarios.AuthCases {
		t := tallies[c.Name]
		if t == nil {
			continue
		}
		v := Verdict{
			Check:      scenarios.CheckAuth,
			Class:      limits.Class(c.Name),
			Measured:   float64(t.wrong),
			Expected:   0,
			Comparison: AtMost,
			Unit:       "wrong answers",
			Window:     in.Window,
		}
		v.SetOutcome(settle(v))
		want := expectedAnswer(c)
		if t.wrong == 0 {
			v.Detail = fmt.Sprintf("All %d requests with %s were answered %s.", t.sent, c.Why, want)
		} else {
			v.Detail = fmt.Sprintf("%d of %d requests with %s were not answered %s; the first: %s.", t.wrong, t.sent, c.Why, want, t.first)
		}
		if t.noHeaders > 0 {
			v.Detail += fmt.Sprintf(" %d responses were stored without headers, so their challenge and Content-Type were not judged.", t.noHeaders)
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// expectedAnswer describes what Key Vault answers case c.
func expectedAnswer(c scenarios.AuthCase) string {
	switch {
	case c.Status == 0:
		return "as an authenticated, allowed caller (neither 401 nor 403)"
	case c.Status == http.StatusUnauthorized:
		return fmt.Sprintf("%d %s with a Bearer challenge", c.Status, c.Code)
	case c.Inner != "":
		return fmt.Sprintf("%d %s/%s", c.Status, c.Code, c.Inner)
	}
	return fmt.Sprintf("%d %s", c.Status, c.Code)
}

// authBody is the part of Key Vault's error body the auth check reads.
type authBody struct {
	Error *struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError *struct {
			Code string `json:"code"`
		} `json:"innererror"`
	} `json:"error"`
}

// authProblem says how res is not the answer case c expects, or "".
func authProblem(c scenarios.AuthCase, res *vegeta.Result) string {
	if res.Code == 0 {
		return "no response (" + quoteString(res.Error) + ")"
	}
	if c.Status == 0 {
		if res.Code == http.StatusUnauthorized || res.Code == http.StatusForbidden {
			return fmt.Sprintf("status %d, body %s", res.Code, quote(res.Body))
		}
		return ""
	}
	if int(res.Code) != c.Status {
		return fmt.Sprintf("status %d, want %d", res.Code, c.Status)
	}
	var b authBody
	if err := json.Unmarshal(res.Body, &b); err != nil || b.Error == nil {
		return "the body is not Key Vault's JSON error: " + quote(res.Body)
	}
	switch {
	case b.Error.Code != c.Code:
		return fmt.Sprintf("error.code %q, want %q", b.Error.Code, c.Code)
	case b.Error.Message == "":
		return "error.message is empty"
	case c.Inner != "" && (b.Error.InnerError == nil || b.Error.InnerError.Code != c.Inner):
		got := "none"
		if b.Error.InnerError != nil {
			got = fmt.Sprintf("%q", b.Error.InnerError.Code)
		}
		return fmt.Sprintf("innererror.code %s, want %q", got, c.Inner)
	}
	if res.Headers == nil {
		return ""
	}
	if mt, _, err := mime.ParseMediaType(res.Headers.Get("Content-Type")); err != nil || mt != "application/json" {
		return fmt.Sprintf("Content-Type %q, want application/json", res.Headers.Get("Content-Type"))
	}
	if c.Status == http.StatusUnauthorized {
		if p := ChallengeProblem(res.Headers.Get("WWW-Authenticate")); p != "" {
			return p
		}
	}
	return ""
}

// ChallengeProblem says what is wrong with a 401's WWW-Authenticate value, read
// as the Azure SDK for Go's Key Vault challenge policy reads it, or "" when a
// client could follow it: a Bearer challenge whose authorization (or
// authorization_uri) is an https URL of the form https://host/<tenant>, and a
// resource or scope.
func ChallengeProblem(h string) string {
	if h == "" {
		return "no WWW-Authenticate challenge"
	}
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return fmt.Sprintf("WWW-Authenticate %q is not a Bearer challenge", h)
	}
	params := map[string]string{}
	for _, part := range strings.Fields(rest) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		params[strings.ToLower(k)] = strings.Trim(strings.TrimSuffix(v, ","), `"`)
	}
	authz := params["authorization"]
	if authz == "" {
		authz = params["authorization_uri"]
	}
	u, err := url.Parse(authz)
	if authz == "" || err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Sprintf("WWW-Authenticate %q has no https authorization URL", h)
	}
	if tenant := strings.Trim(u.Path, "/"); tenant == "" || strings.Contains(tenant, "/") {
		return fmt.Sprintf("WWW-Authenticate %q: the authorization URL must be https://host/<tenant>", h)
	}
	if params["resource"] == "" && params["scope"] == "" {
		return fmt.Sprintf("WWW-Authenticate %q names neither resource nor scope", h)
	}
	return ""
}

// quoteString bounds an error text quoted in a verdict.
func quoteString(s string) string { return quote([]byte(s)) }
