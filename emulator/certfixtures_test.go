package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// certFixture is a real EC P-256 key with a certificate for it, as PEM
// (PKCS#8 key and certificate) and as base64 PKCS#12 with password "pw":
// the import bodies of the battery, the fuzz seeds and the store tests.
type certFixture struct {
	pem, pfx string
	der      []byte
}

func newCertFixture(tb testing.TB) certFixture {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fixture"},
		NotBefore: time.Unix(1700000000, 0), NotAfter: time.Unix(2000000000, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pw")
	if err != nil {
		tb.Fatal(err)
	}
	return certFixture{
		pem: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})) + string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		pfx: base64.StdEncoding.EncodeToString(pfx),
		der: der,
	}
}

// selfPolicyJSON is a Self-issued EC policy body.
const selfPolicyJSON = `{"policy":{"key_props":{"kty":"EC","crv":"P-256","exportable":true},"secret_props":{"contentType":"application/x-pkcs12"},` +
	`"x509_props":{"subject":"CN=c1","sans":{"dns_names":["c1.example.test"]},"validity_months":12},"issuer":{"name":"Self"}}}`

// addCertFuzzSeeds seeds FuzzServeHTTP with every certificate operation,
// with real PEM and PKCS#12 bodies for the fuzzer to mutate.
func addCertFuzzSeeds(f *testing.F) {
	fx := newCertFixture(f)
	const j = "application/json"
	pending := `{"policy":{"issuer":{"name":"Unknown"},"x509_props":{"subject":"CN=p1"}}}`
	for _, s := range [][3]string{
		{"POST", "/certificates/c1/create", selfPolicyJSON},
		{"POST", "/certificates/p1/create", pending},
		{"GET", "/certificates/p1/pending", ""},
		{"PATCH", "/certificates/p1/pending", `{"cancellation_requested":true}`},
		{"POST", "/certificates/p1/pending/merge", `{"x5c":["` + base64.StdEncoding.EncodeToString(fx.der) + `"]}`},
		{"DELETE", "/certificates/p1/pending", ""},
		{"POST", "/certificates/i1/import", `{"value":"` + fx.pfx + `","pwd":"pw"}`},
		{"POST", "/certificates/i2/import", `{"value":` + jsonString(fx.pem) + `,"policy":{"secret_props":{"contentType":"application/x-pem-file"}}}`},
		{"GET", "/certificates/c1", ""},
		{"GET", "/certificates/c1/versions", ""},
		{"GET", "/certificates?includePending=true&maxresults=1", ""},
		{"PATCH", "/certificates/c1/", `{"attributes":{"enabled":false},"tags":{"a":"b"}}`},
		{"GET", "/certificates/c1/policy", ""},
		{"PATCH", "/certificates/c1/policy", `{"key_props":{"kty":"RSA","key_size":3072}}`},
		{"POST", "/certificates/c1/backup", ""},
		{"POST", "/certificates/restore", `{"value":"AAAA"}`},
		{"DELETE", "/certificates/c1", ""},
		{"GET", "/deletedcertificates", ""},
		{"GET", "/deletedcertificates/c1", ""},
		{"POST", "/deletedcertificates/c1/recover", ""},
		{"DELETE", "/deletedcertificates/c1", ""},
		{"PUT", "/certificates/contacts", `{"contacts":[{"email":"a@example.test","name":"A","phone":"1"}]}`},
		{"GET", "/certificates/contacts", ""},
		{"DELETE", "/certificates/contacts", ""},
		{"PUT", "/certificates/issuers/i1", `{"provider":"Test","credentials":{"account_id":"a","pwd":"p"},"org_details":{"admin_details":[{"email":"x"}]}}`},
		{"PATCH", "/certificates/issuers/i1", `{"attributes":{"enabled":false}}`},
		{"GET", "/certificates/issuers", ""},
		{"DELETE", "/certificates/issuers/i1", ""},
	} {
		sep := "?"
		if strings.Contains(s[1], "?") {
			sep = "&"
		}
		ctype := ""
		if s[2] != "" {
			ctype = j
		}
		f.Add(s[0], s[1]+sep+"api-version=7.6", "", "", ctype, s[2], true)
	}
}

// rsaImportBody is a certificate import body (PEM, RSA 2048 software key,
// the DefaultCertKey a client-side classifier assumes), made on first use so
// that the route table costs no key generation unless a test encodes it.
type rsaImportBody struct{}

var rsaImport struct {
	once sync.Once
	body []byte
}

func (rsaImportBody) MarshalJSON() ([]byte, error) {
	rsaImport.once.Do(func() {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		tpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "rsa-fixture"},
			NotBefore: time.Unix(1700000000, 0), NotAfter: time.Unix(2000000000, 0)}
		der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
		if err != nil {
			panic(err)
		}
		p8, _ := x509.MarshalPKCS8PrivateKey(key)
		pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})) +
			string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		rsaImport.body = []byte(`{"value":` + jsonString(pemText) + `}`)
	})
	return rsaImport.body, nil
}
