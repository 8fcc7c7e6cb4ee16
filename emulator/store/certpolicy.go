package store

// The certificate policy as the data-plane spec spells it (certificates.json,
// 2025-07-01: CertificatePolicy and its parts). The types double as the
// persisted form and as the JSON the vault answers, so the field names are
// written once, from the spec. Read-only parts (the policy's id) are added by
// the vault when it answers.

// CertPolicy is CertificatePolicy.
type CertPolicy struct {
	KeyProps        *CertKeyProps      `json:"key_props,omitempty"`
	SecretProps     *CertSecretProps   `json:"secret_props,omitempty"`
	X509Props       *CertX509Props     `json:"x509_props,omitempty"`
	LifetimeActions []CertLifetimeAct  `json:"lifetime_actions,omitempty"`
	Issuer          *CertIssuerParams  `json:"issuer,omitempty"`
	Attributes      *CertPolicyAttribs `json:"attributes,omitempty"`
}

// CertKeyProps is KeyProperties.
type CertKeyProps struct {
	Exportable *bool  `json:"exportable,omitempty"`
	Kty        string `json:"kty,omitempty"`
	KeySize    int    `json:"key_size,omitempty"`
	ReuseKey   *bool  `json:"reuse_key,omitempty"`
	Crv        string `json:"crv,omitempty"`
}

// CertSecretProps is SecretProperties.
type CertSecretProps struct {
	ContentType string `json:"contentType,omitempty"`
}

// CertX509Props is X509CertificateProperties.
type CertX509Props struct {
	Subject        string    `json:"subject,omitempty"`
	Ekus           []string  `json:"ekus,omitempty"`
	SANs           *CertSANs `json:"sans,omitempty"`
	KeyUsage       []string  `json:"key_usage,omitempty"`
	ValidityMonths int       `json:"validity_months,omitempty"`
}

// CertSANs is SubjectAlternativeNames.
type CertSANs struct {
	Emails      []string `json:"emails,omitempty"`
	DNSNames    []string `json:"dns_names,omitempty"`
	UPNs        []string `json:"upns,omitempty"`
	URIs        []string `json:"uris,omitempty"`
	IPAddresses []string `json:"ipAddresses,omitempty"`
}

// CertLifetimeAct is LifetimeAction.
type CertLifetimeAct struct {
	Trigger *CertTrigger `json:"trigger,omitempty"`
	Action  *CertAction  `json:"action,omitempty"`
}

// CertTrigger is Trigger.
type CertTrigger struct {
	LifetimePercentage *int `json:"lifetime_percentage,omitempty"`
	DaysBeforeExpiry   *int `json:"days_before_expiry,omitempty"`
}

// CertAction is Action.
type CertAction struct {
	ActionType string `json:"action_type,omitempty"`
}

// CertIssuerParams is IssuerParameters.
type CertIssuerParams struct {
	Name             string `json:"name,omitempty"`
	CertType         string `json:"cty,omitempty"`
	CertTransparency *bool  `json:"cert_transparency,omitempty"`
}

// CertPolicyAttribs are the policy's attributes (CertificateAttributes, of
// which a policy shows enabled, created and updated).
type CertPolicyAttribs struct {
	Enabled *bool `json:"enabled,omitempty"`
	Created int64 `json:"created,omitempty"`
	Updated int64 `json:"updated,omitempty"`
}

// Clone deep-copies p, so the store never shares a policy with a caller.
func (p CertPolicy) Clone() CertPolicy {
	c := p
	if p.KeyProps != nil {
		k := *p.KeyProps
		k.Exportable, k.ReuseKey = cloneBool(k.Exportable), cloneBool(k.ReuseKey)
		c.KeyProps = &k
	}
	if p.SecretProps != nil {
		s := *p.SecretProps
		c.SecretProps = &s
	}
	if p.X509Props != nil {
		x := *p.X509Props
		x.Ekus, x.KeyUsage = cloneStrings(x.Ekus), cloneStrings(x.KeyUsage)
		if x.SANs != nil {
			s := CertSANs{Emails: cloneStrings(x.SANs.Emails), DNSNames: cloneStrings(x.SANs.DNSNames),
				UPNs: cloneStrings(x.SANs.UPNs), URIs: cloneStrings(x.SANs.URIs), IPAddresses: cloneStrings(x.SANs.IPAddresses)}
			x.SANs = &s
		}
		c.X509Props = &x
	}
	if p.LifetimeActions != nil {
		c.LifetimeActions = make([]CertLifetimeAct, len(p.LifetimeActions))
		for i, a := range p.LifetimeActions {
			if a.Trigger != nil {
				t := CertTrigger{LifetimePercentage: cloneInt(a.Trigger.LifetimePercentage), DaysBeforeExpiry: cloneInt(a.Trigger.DaysBeforeExpiry)}
				a.Trigger = &t
			}
			if a.Action != nil {
				x := *a.Action
				a.Action = &x
			}
			c.LifetimeActions[i] = a
		}
	}
	if p.Issuer != nil {
		i := *p.Issuer
		i.CertTransparency = cloneBool(i.CertTransparency)
		c.Issuer = &i
	}
	if p.Attributes != nil {
		a := *p.Attributes
		a.Enabled = cloneBool(a.Enabled)
		c.Attributes = &a
	}
	return c
}

func cloneBool(b *bool) *bool {
	if b == nil {
		return nil
	}
	v := *b
	return &v
}

func cloneInt(i *int) *int {
	if i == nil {
		return nil
	}
	v := *i
	return &v
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}
