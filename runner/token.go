package runner

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator/auth"
)

// TokenRequest asks an emulator's token endpoint (or any v1 client-credentials
// endpoint) for a Key Vault token.
type TokenRequest struct {
	// Authority is the base URL, e.g. https://127.0.0.1:8443.
	Authority string
	Tenant    string
	Identity  auth.Identity
	// CAFile is a PEM file of roots to trust (the emulator writes its CA out).
	CAFile string
}

// Token gets one token for r.
func Token(ctx context.Context, r TokenRequest) (string, error) {
	tlsc, err := attack.ClientTLS(r.CAFile)
	if err != nil {
		return "", err
	}
	cc := &attack.ClientCredentials{
		TokenURL:     strings.TrimRight(r.Authority, "/") + "/" + r.Tenant + "/oauth2/token",
		ClientID:     r.Identity.ClientID,
		ClientSecret: r.Identity.ClientSecret,
		Resource:     auth.Resource,
		Client:       &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsc}},
	}
	return cc.Token(ctx)
}
