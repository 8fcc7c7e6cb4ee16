package emulator

import (
	"slices"
	"strconv"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// Issuer names with a meaning of their own: Self signs with the
// certificate's own key at once; Unknown leaves the request pending until a
// merge brings the certificate an outside CA signed.
const (
	issuerSelf    = "Self"
	issuerUnknown = "Unknown"
)

// Defaults Key Vault fills into a policy that leaves a part out (compare the
// policies in the spec's examples and in azcertificates' recordings).
var (
	defaultEkus     = []string{"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"}
	defaultRSAUsage = []string{"digitalSignature", "keyEncipherment"}
	defaultECUsage  = []string{"digitalSignature"}
)

const (
	defaultValidityMonths = 12
	maxValidityMonths     = 1200
)

func bad(msg string) *kverror.Error { return kverror.BadParameter(msg) }

// normalizePolicy checks a policy and fills in Key Vault's defaults. A
// create needs a subject or SANs; an import takes them from its certificate.
func normalizePolicy(p store.CertPolicy, create bool) (store.CertPolicy, *kverror.Error) {
	p = p.Clone()
	if e := normalizeKeyProps(&p); e != nil {
		return p, e
	}
	if p.SecretProps == nil {
		p.SecretProps = &store.CertSecretProps{}
	}
	switch p.SecretProps.ContentType {
	case "":
		p.SecretProps.ContentType = contentPKCS12
	case contentPKCS12, contentPEM:
	default:
		return p, bad("The policy's secret_props.contentType '" + clip(p.SecretProps.ContentType) + "' is not " + contentPKCS12 + " or " + contentPEM + ".")
	}
	if p.X509Props == nil {
		p.X509Props = &store.CertX509Props{}
	}
	if e := normalizeX509Props(p.X509Props, p.KeyProps.Kty, create); e != nil {
		return p, e
	}
	if p.Issuer == nil {
		p.Issuer = &store.CertIssuerParams{}
	}
	if p.Issuer.Name == "" {
		if create {
			return p, bad("The policy's issuer name is required: Self, Unknown or the name of an issuer of this vault.")
		}
		p.Issuer.Name = issuerUnknown
	}
	return p, normalizeLifetime(&p)
}

func normalizeKeyProps(p *store.CertPolicy) *kverror.Error {
	if p.KeyProps == nil {
		p.KeyProps = &store.CertKeyProps{}
	}
	k := p.KeyProps
	if k.Kty == "" {
		k.Kty = "RSA"
		if k.Crv != "" {
			k.Kty = "EC"
		}
	}
	spec, err := certKeySpec(*k)
	if err != nil {
		return bad("Invalid key_props in the certificate policy: " + err.Error())
	}
	if spec.Type == limits.EC {
		if k.Crv == "" {
			k.Crv = "P-256"
		}
	} else if k.KeySize == 0 {
		k.KeySize = 2048
	}
	f, t := false, true
	if k.Exportable == nil {
		k.Exportable = &t
	}
	if k.ReuseKey == nil {
		k.ReuseKey = &f
	}
	return nil
}

func normalizeX509Props(x *store.CertX509Props, kty string, create bool) *kverror.Error {
	if x.Subject == "" && create && (x.SANs == nil || len(x.SANs.DNSNames)+len(x.SANs.Emails)+len(x.SANs.UPNs)+len(x.SANs.URIs)+len(x.SANs.IPAddresses) == 0) {
		return bad("The policy's x509_props must have a subject or subject alternative names.")
	}
	// An import's subject is its certificate's, shown as Go prints it; only
	// a subject the emulator has to write into a certificate is parsed.
	if x.Subject != "" && create {
		if _, err := parseSubject(x.Subject); err != nil {
			return bad("Invalid subject: " + err.Error())
		}
	}
	if x.ValidityMonths == 0 {
		x.ValidityMonths = defaultValidityMonths
	}
	if x.ValidityMonths < 1 || x.ValidityMonths > maxValidityMonths {
		return bad("validity_months must be between 1 and " + strconv.Itoa(maxValidityMonths) + ".")
	}
	for _, u := range x.KeyUsage {
		if _, ok := keyUsages[u]; !ok {
			return bad("Invalid key_usage '" + clip(u) + "'.")
		}
	}
	if len(x.KeyUsage) == 0 {
		x.KeyUsage = slices.Clone(defaultRSAUsage)
		if kty == "EC" || kty == "EC-HSM" {
			x.KeyUsage = slices.Clone(defaultECUsage)
		}
	}
	for _, e := range x.Ekus {
		if _, err := parseOID(e); err != nil {
			return bad(err.Error())
		}
	}
	if x.Ekus == nil {
		x.Ekus = slices.Clone(defaultEkus)
	}
	return nil
}

func normalizeLifetime(p *store.CertPolicy) *kverror.Error {
	if len(p.LifetimeActions) == 0 {
		action := "AutoRenew"
		if p.Issuer.Name == issuerUnknown {
			action = "EmailContacts"
		}
		pct := 80
		p.LifetimeActions = []store.CertLifetimeAct{{Trigger: &store.CertTrigger{LifetimePercentage: &pct}, Action: &store.CertAction{ActionType: action}}}
		return nil
	}
	for _, a := range p.LifetimeActions {
		if a.Action == nil || (a.Action.ActionType != "AutoRenew" && a.Action.ActionType != "EmailContacts") {
			return bad("A lifetime action's action_type must be AutoRenew or EmailContacts.")
		}
		if a.Trigger == nil || (a.Trigger.LifetimePercentage == nil) == (a.Trigger.DaysBeforeExpiry == nil) {
			return bad("A lifetime action's trigger must have one of lifetime_percentage and days_before_expiry.")
		}
		if v := a.Trigger.LifetimePercentage; v != nil && (*v < 1 || *v > 99) {
			return bad("lifetime_percentage must be between 1 and 99.")
		}
		if v := a.Trigger.DaysBeforeExpiry; v != nil && *v < 1 {
			return bad("days_before_expiry must be at least 1.")
		}
	}
	return nil
}

// mergePolicy applies the parts an update names to the current policy, as
// PATCH /certificates/{name}/policy does.
func mergePolicy(cur, upd store.CertPolicy) store.CertPolicy {
	out := cur.Clone()
	upd = upd.Clone()
	if upd.KeyProps != nil {
		out.KeyProps = upd.KeyProps
	}
	if upd.SecretProps != nil {
		out.SecretProps = upd.SecretProps
	}
	if upd.X509Props != nil {
		out.X509Props = upd.X509Props
	}
	if upd.LifetimeActions != nil {
		out.LifetimeActions = upd.LifetimeActions
	}
	if upd.Issuer != nil {
		out.Issuer = upd.Issuer
	}
	if upd.Attributes != nil && upd.Attributes.Enabled != nil {
		if out.Attributes == nil {
			out.Attributes = &store.CertPolicyAttribs{}
		}
		out.Attributes.Enabled = upd.Attributes.Enabled
	}
	return out
}

// certKeySpec is the limits row of a policy's key. A policy may name an EC
// key's size with its curve (key_size 256 for P-256K, as azcertificates'
// own tests do); the curve decides.
func certKeySpec(k store.CertKeyProps) (limits.KeySpec, error) {
	size := k.KeySize
	if k.Kty == "EC" || k.Kty == "EC-HSM" {
		size = 0
	}
	return limits.ParseKeySpec(k.Kty, size, k.Crv)
}
