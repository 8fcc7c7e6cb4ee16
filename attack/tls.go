package attack

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// ClientTLS returns the TLS settings for a client of a target whose
// certificate must verify against the system roots or, when caFile is set,
// against only the PEM certificates in it (the emulator writes its CA out; a
// proxy may have its own). A file that holds no certificate is an error, not
// an empty pool that would refuse every server.
func ClientTLS(caFile string) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return c, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	c.RootCAs = pool
	return c, nil
}
