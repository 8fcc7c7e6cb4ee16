// Package clientapps holds two small example applications for `kvquota
// clientcheck`, built and run by its tests as real programs: sdkclient, an
// Azure SDK for Go client with its default retry policy, which should pass,
// and hammer, a plain net/http client that retries a 429 at once, which
// should fail. Both find the vault through clientcheck's environment
// (KVQUOTA_VAULT_URL, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
// AZURE_AUTHORITY_HOST, SSL_CERT_FILE) and exit by themselves.
package clientapps
