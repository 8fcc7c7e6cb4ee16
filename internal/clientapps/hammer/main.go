// Command hammer reads one secret in a loop with plain net/http and, on a
// 429, sends the same request again at once: the badly behaved application
// of `kvquota clientcheck`'s tests (see package clientapps for its
// environment). It stops after -requests requests or -timeout.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

func main() {
	requests := flag.Int("requests", 200, "stop after this many requests")
	limit := flag.Duration("timeout", 10*time.Second, "stop after this long")
	flag.Parse()
	if err := run(*requests, *limit); err != nil {
		fmt.Fprintln(os.Stderr, "hammer:", err)
		os.Exit(1)
	}
}

func run(requests int, limit time.Duration) error {
	vault := os.Getenv("KVQUOTA_VAULT_URL")
	if vault == "" {
		return fmt.Errorf("KVQUOTA_VAULT_URL is not set: run me under kvquota clientcheck")
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	// http.DefaultClient trusts the system roots, which SSL_CERT_FILE names.
	token, err := signIn(ctx)
	if err != nil {
		return err
	}
	put, err := send(ctx, http.MethodPut, vault+"/secrets/hammer?api-version=7.5", token, `{"value":"hammer"}`)
	if err != nil {
		return err
	}
	if put != http.StatusOK {
		return fmt.Errorf("setting the secret: status %d", put)
	}
	throttled := 0
	for sent := 1; sent < requests && ctx.Err() == nil; sent++ {
		status, err := send(ctx, http.MethodGet, vault+"/secrets/hammer?api-version=7.5", token, "")
		if err != nil {
			break
		}
		if status == http.StatusTooManyRequests {
			throttled++
			continue // and straight back in: no back-off at all
		}
	}
	fmt.Printf("hammer: %d requests, %d throttled\n", requests, throttled)
	return nil
}

// signIn gets a token with the client-credentials grant at the authority.
func signIn(ctx context.Context) (string, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {os.Getenv("AZURE_CLIENT_ID")},
		"client_secret": {os.Getenv("AZURE_CLIENT_SECRET")},
		"resource":      {"https://vault.azure.net"},
	}
	u := strings.TrimRight(os.Getenv("AZURE_AUTHORITY_HOST"), "/") + "/" + os.Getenv("AZURE_TENANT_ID") + "/oauth2/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("signing in: status %d", resp.StatusCode)
	}
	return tok.AccessToken, nil
}

func send(ctx context.Context, method, u, token, body string) (int, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}
