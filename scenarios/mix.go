package scenarios

import (
	"slices"

	"github.com/kvquota/kvquota/limits"
)

// OpKinds lists the operations a scenario can use, in the order the format
// documentation gives them.
var OpKinds = []OpKind{GetSecret, SetSecret, ListSecrets, ListSecretVersions, DeleteSecret,
	CreateKey, GetKey, SignKey, VerifyKey, Encrypt, WrapKey, ImportKey, ImportCertificate, AuthProbe}

// Class returns the transaction class the operation is counted in under the
// default profile: setting a secret is a secret CREATE, and so is an import
// (2025 shares that row; Op.ClassIn gives an import's class under any
// profile); every other secret operation is one of "all other" secret
// transactions.
func (k OpKind) Class() limits.Class {
	if k == SetSecret || k.imports() {
		return limits.SecretsCreate
	}
	return limits.Secrets
}

// ClassIn returns the transaction class of the entry's operation under
// profile p: a key operation's is its key's row (KeyParams.Spec); an import
// (of a key or a certificate) is p.ImportClass of the imported key, which is
// the shared secret CREATE row under 2025 and the key type's CREATE under
// 2018 and 2021.
func (o Op) ClassIn(p *limits.Profile) limits.Class {
	switch {
	case o.Op.imports():
		return p.ImportClass(o.Spec)
	case o.Op.isKey():
		return o.Spec.Class(o.Op == CreateKey)
	}
	return o.Op.Class()
}

// known reports whether k is one of OpKinds.
func (k OpKind) known() bool {
	for _, o := range OpKinds {
		if o == k {
			return true
		}
	}
	return false
}

// named reports whether the operation addresses one secret by name.
func (k OpKind) named() bool { return k != ListSecrets }

// needsExisting reports whether the operation fails with 404 unless the secret
// it names exists, so the setup must create it.
func (k OpKind) needsExisting() bool {
	return k == GetSecret || k == ListSecretVersions || k == DeleteSecret
}

// isKey reports whether the operation is on keys.
func (k OpKind) isKey() bool {
	switch k {
	case CreateKey, GetKey, SignKey, VerifyKey, Encrypt, WrapKey, ImportKey:
		return true
	}
	return false
}

// imports reports whether the operation imports key material (a key or a
// certificate with its key).
func (k OpKind) imports() bool { return k == ImportKey || k == ImportCertificate }

// makesKey reports whether the operation makes the key its name points at
// (and so takes kty:, key-size: and curve:).
func (k OpKind) makesKey() bool { return k == CreateKey || k.imports() }

// listing reports whether the operation returns pages (and takes max-results).
func (k OpKind) listing() bool { return k == ListSecrets || k == ListSecretVersions }

// MixLimitRate returns the offered rate, in requests per second, at which the
// weighted mix exactly fills one window of p: with weights w_i over classes c_i,
//
//	r = 1 / (Window.Seconds() * Σ_i (w_i/Σw) / Limit(c_i))
//
// because a request of class c costs 1/Limit(c) of a window under weighted
// enforcement. Relative stage rates ("80%") are fractions of this rate. It is 0
// when p is nil or the mix is empty, so relative rates then resolve to 0.
func (s *Scenario) MixLimitRate(p *limits.Profile) float64 {
	if p == nil || p.Window <= 0 {
		return 0
	}
	var total float64
	for _, o := range s.Mix {
		total += o.Weight
	}
	if total <= 0 {
		return 0
	}
	var costPerRequest float64
	for _, o := range s.Mix {
		l := p.Limit(o.ClassIn(p))
		if l <= 0 {
			continue // a class the profile does not limit costs nothing
		}
		costPerRequest += (o.Weight / total) / float64(l)
	}
	if costPerRequest == 0 {
		return 0
	}
	return 1 / (p.Window.Seconds() * costPerRequest)
}

// LimitsProfile returns the scenario's limits profile with its own overrides
// applied: the profile its relative rates and checks are meant against.
func (s *Scenario) LimitsProfile() (*limits.Profile, error) {
	name := s.Profile
	if name == "" {
		name = limits.DefaultProfile
	}
	p, err := limits.Get(name)
	if err != nil {
		return nil, err
	}
	if len(s.Limits) == 0 {
		return p, nil
	}
	return p.WithOverrides(s.Limits)
}

// ClassesIn lists the transaction classes the scenario's mix sends under
// profile p, each once, in the mix's order: the rows its load touches.
func (s *Scenario) ClassesIn(p *limits.Profile) []limits.Class {
	var out []limits.Class
	for _, o := range s.Mix {
		if c := o.ClassIn(p); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
