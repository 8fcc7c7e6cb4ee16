package emulator

import (
	"net"
	"net/http"
	"strings"
)

// Drop-in mode lets an unmodified application use the emulator: with Key
// Vault's and Azure AD's real host names pointed at the emulator (a hosts
// file, or container network aliases), the Azure SDKs keep their default
// checks. The Key Vault clients verify that the challenge's resource
// (https://vault.azure.net) is a parent domain of the vault's host, so the
// vault must be reached as <vault>.vault.azure.net; MSAL trusts
// login.microsoftonline.com without asking anyone, and asks
// login.microsoftonline.com/common/discovery/instance about any other
// authority (package auth answers both). See docs/drop-in.md.
//
// Serving by host name is always on: a request whose Host is
// <name>.vault.azure.net is for vault <name> (vaults.go), and its 401
// challenge names https://login.microsoftonline.com as the authority, as
// Key Vault's does. Config.DropIn adds what a real client also needs and the
// emulator does not give by default: certificate names for those hosts.

// VaultDomain is the parent domain of every public-cloud vault's host.
const VaultDomain = "vault.azure.net"

// LoginHost is Azure AD's public-cloud authority host.
const LoginHost = "login.microsoftonline.com"

// DropInAddr is where `kvquota emulate --drop-in` listens unless told
// otherwise: HTTPS's own port, since a client that uses the real names uses
// their default port too.
const DropInAddr = "127.0.0.1:443"

// dropInNames are the certificate names drop-in mode adds: every vault, and
// Azure AD's public-cloud host names (MSAL's aliases of one another).
var dropInNames = []string{"*." + VaultDomain, LoginHost, "login.windows.net", "login.microsoft.com"}

// vaultOfHost returns the vault a Host header names, <name>.vault.azure.net,
// with or without a port.
func vaultOfHost(host string) (string, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	name, ok := strings.CutSuffix(strings.ToLower(host), "."+VaultDomain)
	if !ok || !vaultName.MatchString(name) {
		return "", false
	}
	return name, true
}

// challengeAuthority is the authority a 401 challenge names: Azure AD's own
// host when the client reached the vault by its real name (so it also
// reaches login.microsoftonline.com by name), the emulator's bare origin
// otherwise, so that clients fetch their token from the emulator.
func challengeAuthority(r *http.Request) string {
	if _, ok := vaultOfHost(r.Host); ok {
		return "https://" + LoginHost
	}
	return baseURL(r)
}

// DropInNotes is what `kvquota emulate --drop-in` prints: the hosts-file
// line that points the real names at srv, and the vault's real-name URL.
func DropInNotes(v *Vault, srv *Server) string {
	ip := "127.0.0.1"
	if h, _, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://")); err == nil {
		ip = strings.Trim(h, "[]")
	}
	vault := strings.ToLower(v.cfg.VaultName) + "." + VaultDomain
	return "drop-in:        add to /etc/hosts (or as network aliases): " + ip + " " + vault + " " + LoginHost + "\n" +
		"                vault URL https://" + vault + "/ (any <name>." + VaultDomain + " is vault <name>); trust the CA above (SSL_CERT_FILE)\n"
}
