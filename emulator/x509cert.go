package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/kvquota/kvquota/emulator/store"
)

// Real X.509 for the certificates a policy describes (crypto/x509): the
// self-signed certificates of issuer Self and the CSRs of issuer Unknown.

// keyUsages maps the spec's KeyUsageType names to x509 bits.
var keyUsages = map[string]x509.KeyUsage{
	"digitalSignature": x509.KeyUsageDigitalSignature,
	"nonRepudiation":   x509.KeyUsageContentCommitment,
	"keyEncipherment":  x509.KeyUsageKeyEncipherment,
	"dataEncipherment": x509.KeyUsageDataEncipherment,
	"keyAgreement":     x509.KeyUsageKeyAgreement,
	"keyCertSign":      x509.KeyUsageCertSign,
	"cRLSign":          x509.KeyUsageCRLSign,
	"encipherOnly":     x509.KeyUsageEncipherOnly,
	"decipherOnly":     x509.KeyUsageDecipherOnly,
}

// subjectAttrs maps the attribute names a policy's subject may use to OIDs.
var subjectAttrs = map[string]asn1.ObjectIdentifier{
	"CN": {2, 5, 4, 3}, "C": {2, 5, 4, 6}, "L": {2, 5, 4, 7}, "S": {2, 5, 4, 8}, "ST": {2, 5, 4, 8},
	"STREET": {2, 5, 4, 9}, "O": {2, 5, 4, 10}, "OU": {2, 5, 4, 11}, "POSTALCODE": {2, 5, 4, 17},
	"SERIALNUMBER": {2, 5, 4, 5}, "E": {1, 2, 840, 113549, 1, 9, 1}, "EMAIL": {1, 2, 840, 113549, 1, 9, 1},
	"DC": {0, 9, 2342, 19200300, 100, 1, 25},
}

// parseSubject reads an X.500 distinguished name as Key Vault's policies
// write it ("CN=host, O=Org"), commas inside quotes kept.
func parseSubject(s string) (pkix.Name, error) {
	var name pkix.Name
	var parts []string
	inQuote, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ',', ';':
			if !inQuote {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, s[start:])
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		oid, known := subjectAttrs[strings.ToUpper(strings.TrimSpace(k))]
		if !ok || !known {
			return name, fmt.Errorf("the subject %q has a part %q that is not ATTRIBUTE=value with a known attribute (CN, O, OU, C, L, S, ST, STREET, E, DC, SERIALNUMBER, PostalCode)", clip(s), clip(p))
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		name.ExtraNames = append(name.ExtraNames, pkix.AttributeTypeAndValue{Type: oid, Value: v})
	}
	if len(name.ExtraNames) == 0 {
		return name, fmt.Errorf("the subject %q names nothing", clip(s))
	}
	return name, nil
}

// certTemplate is the certificate a policy asks for, valid from now.
func certTemplate(p store.CertPolicy, now time.Time) (*x509.Certificate, error) {
	x := p.X509Props
	subject, err := parseSubject(x.Subject)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	t := &x509.Certificate{
		SerialNumber: serial,
		Subject:      subject,
		NotBefore:    now.Add(-5 * time.Minute).Truncate(time.Second),
		NotAfter:     now.AddDate(0, x.ValidityMonths, 0).Truncate(time.Second),
	}
	for _, u := range x.KeyUsage {
		t.KeyUsage |= keyUsages[u]
	}
	for _, e := range x.Ekus {
		oid, err := parseOID(e)
		if err != nil {
			return nil, err
		}
		t.UnknownExtKeyUsage = append(t.UnknownExtKeyUsage, oid)
	}
	if err := addSANs(t, x.SANs); err != nil {
		return nil, err
	}
	return t, nil
}

func parseOID(s string) (asn1.ObjectIdentifier, error) {
	var oid asn1.ObjectIdentifier
	for _, part := range strings.Split(s, ".") {
		var n int
		if _, err := fmt.Sscanf(part, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != part {
			return nil, fmt.Errorf("the enhanced key usage %q is not an object identifier such as 1.3.6.1.5.5.7.3.1", clip(s))
		}
		oid = append(oid, n)
	}
	if len(oid) < 2 {
		return nil, fmt.Errorf("the enhanced key usage %q is not an object identifier such as 1.3.6.1.5.5.7.3.1", clip(s))
	}
	return oid, nil
}

// upnOID is the otherName type of a user principal name SAN (Microsoft's).
var upnOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 3}

func addSANs(t *x509.Certificate, s *store.CertSANs) error {
	if s == nil {
		return nil
	}
	t.DNSNames = append(t.DNSNames, s.DNSNames...)
	t.EmailAddresses = append(t.EmailAddresses, s.Emails...)
	for _, ip := range s.IPAddresses {
		a := net.ParseIP(ip)
		if a == nil {
			return fmt.Errorf("the subject alternative name %q is not an IP address", clip(ip))
		}
		t.IPAddresses = append(t.IPAddresses, a)
	}
	for _, u := range s.URIs {
		pu, err := url.Parse(u)
		if err != nil || pu.Scheme == "" {
			return fmt.Errorf("the subject alternative name %q is not an absolute URI", clip(u))
		}
		t.URIs = append(t.URIs, pu)
	}
	if len(s.UPNs) > 0 {
		ext, err := upnExtension(t, s.UPNs)
		if err != nil {
			return err
		}
		t.ExtraExtensions = append(t.ExtraExtensions, ext)
	}
	return nil
}

// upnExtension writes every SAN of t plus the UPNs as one subjectAltName
// extension: crypto/x509 has no field for otherName, and a certificate may
// carry the extension only once, so the DNS, email, IP and URI names move
// into it too.
func upnExtension(t *x509.Certificate, upns []string) (pkix.Extension, error) {
	var raw []asn1.RawValue
	for _, d := range t.DNSNames {
		raw = append(raw, asn1.RawValue{Tag: 2, Class: asn1.ClassContextSpecific, Bytes: []byte(d)})
	}
	for _, e := range t.EmailAddresses {
		raw = append(raw, asn1.RawValue{Tag: 1, Class: asn1.ClassContextSpecific, Bytes: []byte(e)})
	}
	for _, ip := range t.IPAddresses {
		b := ip.To4()
		if b == nil {
			b = ip
		}
		raw = append(raw, asn1.RawValue{Tag: 7, Class: asn1.ClassContextSpecific, Bytes: b})
	}
	for _, u := range t.URIs {
		raw = append(raw, asn1.RawValue{Tag: 6, Class: asn1.ClassContextSpecific, Bytes: []byte(u.String())})
	}
	for _, u := range upns {
		val, err := asn1.MarshalWithParams(u, "utf8")
		if err != nil {
			return pkix.Extension{}, err
		}
		inner, err := asn1.Marshal(struct {
			Type  asn1.ObjectIdentifier
			Value asn1.RawValue `asn1:"explicit,tag:0"`
		}{upnOID, asn1.RawValue{FullBytes: val}})
		if err != nil {
			return pkix.Extension{}, err
		}
		// otherName is [0] IMPLICIT: replace the SEQUENCE tag of inner.
		raw = append(raw, asn1.RawValue{Tag: 0, Class: asn1.ClassContextSpecific, IsCompound: true, Bytes: innerBytes(inner)})
	}
	b, err := asn1.Marshal(raw)
	if err != nil {
		return pkix.Extension{}, err
	}
	t.DNSNames, t.EmailAddresses, t.IPAddresses, t.URIs = nil, nil, nil, nil
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: b}, nil
}

// innerBytes strips the outer tag and length of a DER encoding.
func innerBytes(der []byte) []byte {
	var rv asn1.RawValue
	if _, err := asn1.Unmarshal(der, &rv); err != nil {
		return nil
	}
	return rv.Bytes
}

// selfSign makes the certificate of a Self-issued policy, signed by its own
// key.
func selfSign(key crypto.Signer, p store.CertPolicy, now time.Time) ([]byte, error) {
	t, err := certTemplate(p, now)
	if err != nil {
		return nil, err
	}
	t.BasicConstraintsValid = true
	return x509.CreateCertificate(rand.Reader, t, t, key.Public(), key)
}

// certRequest makes the PKCS#10 request a pending certificate shows (csr).
func certRequest(key crypto.Signer, p store.CertPolicy, now time.Time) ([]byte, error) {
	t, err := certTemplate(p, now)
	if err != nil {
		return nil, err
	}
	req := &x509.CertificateRequest{Subject: t.Subject, DNSNames: t.DNSNames, EmailAddresses: t.EmailAddresses,
		IPAddresses: t.IPAddresses, URIs: t.URIs, ExtraExtensions: t.ExtraExtensions}
	return x509.CreateCertificateRequest(rand.Reader, req, key)
}
