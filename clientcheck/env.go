package clientcheck

import (
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// The environment an application is given to find the emulated vault. The
// AZURE_* names are azidentity's own (EnvironmentCredential,
// DefaultAzureCredential, and AZURE_AUTHORITY_HOST for the authority), and
// SSL_CERT_FILE is read by Go's crypto/x509 (and OpenSSL) on Linux, so many
// applications need only their vault URL from KVQUOTA_VAULT_URL.
const (
	EnvVaultURL      = "KVQUOTA_VAULT_URL"
	EnvCAFile        = "KVQUOTA_CA_FILE"
	EnvTenantID      = "AZURE_TENANT_ID"
	EnvClientID      = "AZURE_CLIENT_ID"
	EnvClientSecret  = "AZURE_CLIENT_SECRET"
	EnvAuthorityHost = "AZURE_AUTHORITY_HOST"
	EnvSSLCertFile   = "SSL_CERT_FILE"
)

// Env is where the emulated vault is and who to sign in as.
type Env struct {
	VaultURL string
	// CAFile is the PEM of the emulator's CA, written for this check.
	CAFile   string
	TenantID string
	ClientID string
	// clientSecret is the built-in emulator identity's secret (not a real
	// credential). It is handed to the application's environment only,
	// never printed or written.
	clientSecret string
}

func newEnv(srv *emulator.Server, caFile string) Env {
	id := auth.DefaultIdentity()
	return Env{VaultURL: srv.URL, CAFile: caFile, TenantID: auth.DefaultTenant, ClientID: id.ClientID, clientSecret: id.ClientSecret}
}

// Vars returns the variables for the application, as NAME=value; the client
// secret is included only when withSecret is set (for the child's
// environment, never for printing).
func (e Env) Vars(withSecret bool) []string {
	vs := []string{
		EnvVaultURL + "=" + e.VaultURL,
		EnvCAFile + "=" + e.CAFile,
		EnvSSLCertFile + "=" + e.CAFile,
		EnvTenantID + "=" + e.TenantID,
		EnvClientID + "=" + e.ClientID,
		EnvAuthorityHost + "=" + e.VaultURL + "/",
	}
	if withSecret {
		vs = append(vs, EnvClientSecret+"="+e.clientSecret)
	}
	return vs
}
