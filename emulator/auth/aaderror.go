package auth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// aadError is Azure AD's OAuth error body, e.g.
//
//	{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client
//	secret provided. ...\r\nTrace ID: ...\r\nCorrelation ID: ...\r\nTimestamp: ...",
//	"error_codes":[7000215],"timestamp":"2023-05-06 06:03:00Z","trace_id":"...",
//	"correlation_id":"...","error_uri":"https://login.microsoftonline.com/error?code=7000215"}
//
// (shape and texts from public captures: OfficeDev/microsoft-365-agents-toolkit#8621
// for 7000215, microsoftgraph/windowsupdates-webapplication-sample#6 for 90002,
// rootinc/laravel-azure-middleware#51 for 500011, the AADSTS700016 text from
// MicrosoftDocs/azure-docs#21690, 7000218 from MicrosoftDocs/azure-docs#25959,
// 900144 from MicrosoftDocs/azure-docs#43780, 70003 from
// AzureAD/microsoft-authentication-library-for-dotnet#3023).
type aadError struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri"`
}

// aadFailure is a refusal before it is dressed with ids and a timestamp.
type aadFailure struct {
	status int
	err    string
	code   int
	text   string
}

func errMissingParam(name string) aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_request", 900144,
		fmt.Sprintf("The request body must contain the following parameter: '%s'.", name)}
}

func errOnlyPost(method string) aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_request", 900561,
		fmt.Sprintf("The endpoint only accepts POST, OPTIONS requests. Received a %s request.", method)}
}

func errBadBody() aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_request", 90014,
		"The request body could not be read as application/x-www-form-urlencoded form data."}
}

func errUnknownTenant(tenant string) aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_tenant", 90002,
		fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant)}
}

func errUnsupportedGrant(grant string) aadFailure {
	return aadFailure{http.StatusBadRequest, "unsupported_grant_type", 70003,
		fmt.Sprintf("The app requested an unsupported grant type '%s'.", grant)}
}

func errUnknownClient(clientID, tenant string) aadFailure {
	return aadFailure{http.StatusBadRequest, "unauthorized_client", 700016,
		fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, tenant)}
}

func errMissingSecret() aadFailure {
	return aadFailure{http.StatusUnauthorized, "invalid_client", 7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

func errBadSecret(clientID string) aadFailure {
	return aadFailure{http.StatusUnauthorized, "invalid_client", 7000215,
		fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)}
}

func errUnknownResource(resource, tenant string) aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_resource", 500011,
		fmt.Sprintf("The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", resource, tenant)}
}

func errScopeNotDefault(scope string) aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_scope", 1002012,
		fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)}
}

// write answers f in Azure AD's shape. The correlation id echoes the client's
// client-request-id, as Azure AD does.
func (f aadFailure) write(w http.ResponseWriter, r *http.Request, now time.Time) {
	trace := newID()
	corr := r.Header.Get("client-request-id")
	if corr == "" {
		corr = newID()
	}
	ts := now.UTC().Format("2006-01-02 15:04:05Z")
	body := aadError{
		Error: f.err,
		Description: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			f.code, f.text, trace, corr, ts),
		Codes:         []int{f.code},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: corr,
		ErrorURI:      authorityOf(r) + "/error?code=" + strconv.Itoa(f.code),
	}
	writeAADJSON(w, r, f.status, trace, body)
}

func writeAADJSON(w http.ResponseWriter, r *http.Request, status int, requestID string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("x-ms-request-id", requestID)
	if id := r.Header.Get("client-request-id"); id != "" {
		h.Set("client-request-id", id)
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// authorityOf is the scheme and host the request reached, e.g.
// "https://127.0.0.1:8443".
func authorityOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
