package attack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// StaticToken is a bearer token given by the user (--token, KVQUOTA_TOKEN). It is
// never refreshed: an attack that outlives it will see 401s, and say so.
type StaticToken string

// Token implements TokenSource.
func (t StaticToken) Token(context.Context) (string, error) {
	if t == "" {
		return "", errors.New("no bearer token given")
	}
	return string(t), nil
}

// ClientCredentials gets tokens from an OAuth 2.0 token endpoint of Microsoft
// Entra ID's v1 form (or the emulator's copy of it) with the client-credentials
// grant, and caches each until shortly before it expires, so a long attack keeps
// a valid token without asking for one per request.
type ClientCredentials struct {
	// TokenURL is the token endpoint, e.g. https://127.0.0.1:8443/<tenant>/oauth2/token.
	TokenURL     string
	ClientID     string
	ClientSecret string
	// Resource is the audience asked for; Key Vault's is https://vault.azure.net.
	Resource string
	Client   *http.Client
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time
	// RefreshBefore is how long before expiry a token is replaced (default 5 min).
	RefreshBefore time.Duration

	cache tokenCache
}

// Token implements TokenSource.
func (c *ClientCredentials) Token(ctx context.Context) (string, error) {
	return c.cache.get(ctx, c.Now, c.RefreshBefore, c.fetch)
}

func (c *ClientCredentials) fetch(ctx context.Context) (string, time.Time, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
		"resource":      {c.Resource},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", time.Time{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("token endpoint %s: %w", c.TokenURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("token endpoint %s: %w", c.TokenURL, err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresOn   string `json:"expires_on"`
		ExpiresIn   any    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		return "", time.Time{}, fmt.Errorf("token endpoint %s answered %s with no JSON", c.TokenURL, resp.Status)
	}
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		// The error and its description never contain the secret; the form is not echoed.
		return "", time.Time{}, fmt.Errorf("token endpoint %s: %s: %s %s", c.TokenURL, resp.Status, tr.Error, firstLine(tr.Description))
	}
	exp := time.Now().Add(time.Hour)
	if s, err := strconv.ParseInt(tr.ExpiresOn, 10, 64); err == nil {
		exp = time.Unix(s, 0)
	} else if secs, ok := seconds(tr.ExpiresIn); ok {
		exp = time.Now().Add(time.Duration(secs) * time.Second)
	}
	return tr.AccessToken, exp, nil
}

// seconds reads expires_in, a string in the v1 answer and a number in v2.
func seconds(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\r\n")
	s, _, _ = strings.Cut(s, "\n")
	return s
}
