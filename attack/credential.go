package attack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// KeyVaultScope is the scope of a Key Vault data-plane token.
const KeyVaultScope = "https://vault.azure.net/.default"

// AzureCredential is a TokenSource over an Azure SDK credential: what the
// harness uses against real vaults. It caches the token and asks the
// credential again RefreshBefore its expiry, so an attack longer than a
// token's life (an hour, by default) keeps going on fresh tokens; the
// credential is asked under one lock, so vegeta's many workers cause one
// refresh, not hundreds. Errors name the credential's failure but never carry
// a token or a secret (azidentity's own errors do not).
type AzureCredential struct {
	Credential azcore.TokenCredential
	// Scope is asked for; KeyVaultScope when empty.
	Scope string
	// RefreshBefore is how long before expiry the token is replaced (5 min).
	RefreshBefore time.Duration
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time

	cache tokenCache
}

// Token implements TokenSource.
func (c *AzureCredential) Token(ctx context.Context) (string, error) {
	return c.cache.get(ctx, c.Now, c.RefreshBefore, c.fetch)
}

func (c *AzureCredential) fetch(ctx context.Context) (string, time.Time, error) {
	if c.Credential == nil {
		return "", time.Time{}, errors.New("no Azure credential configured")
	}
	scope := c.Scope
	if scope == "" {
		scope = KeyVaultScope
	}
	tok, err := c.Credential.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("getting a Key Vault token: %w", err)
	}
	return tok.Token, tok.ExpiresOn, nil
}

// CredentialOptions say how to sign in to a real vault's tenant.
type CredentialOptions struct {
	// TenantID, ClientID and ClientSecret select a client-secret sign-in; with
	// ClientSecret empty, DefaultAzureCredential is used (environment, workload
	// identity, managed identity, Azure CLI, in azidentity's order), with
	// TenantID and ClientID as hints when given.
	TenantID, ClientID, ClientSecret string
	// AuthorityHost replaces https://login.microsoftonline.com/ (sovereign
	// clouds, or an emulator: then DisableInstanceDiscovery too).
	AuthorityHost            string
	DisableInstanceDiscovery bool
	// Client carries the sign-in's HTTP traffic (nil: azcore's default).
	Client *http.Client
}

// NewAzureCredential returns the TokenSource for o.
func NewAzureCredential(o CredentialOptions) (*AzureCredential, error) {
	co := azcore.ClientOptions{}
	if o.AuthorityHost != "" {
		host := o.AuthorityHost
		if !strings.HasSuffix(host, "/") {
			host += "/"
		}
		co.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: host}
	}
	if o.Client != nil {
		co.Transport = o.Client
	}
	var cred azcore.TokenCredential
	var err error
	if o.ClientSecret != "" {
		if o.TenantID == "" || o.ClientID == "" {
			return nil, errors.New("a client secret needs a tenant id and a client id as well")
		}
		cred, err = azidentity.NewClientSecretCredential(o.TenantID, o.ClientID, o.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: o.DisableInstanceDiscovery})
	} else {
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: co, TenantID: o.TenantID, DisableInstanceDiscovery: o.DisableInstanceDiscovery,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("setting up the Azure credential: %w", err)
	}
	return &AzureCredential{Credential: cred}, nil
}
