package limits

import "strings"

// NewClassifier returns the classifier of a stored run: secrets by their URL
// (as NewURLClassifier), keys by the specs of the keys the run's scenario
// names (keys, by lower-case name; a certificate import by the key keys
// records under CertKeyName, else DefaultCertKey), and both whichever vault of a
// multi-vault emulator (SplitVault) the request went to. With no keys it
// classifies exactly as NewURLClassifier. Key imports are classed as under
// DefaultProfile; NewClassifierFor names the profile.
func NewClassifier(keys map[string]KeySpec) Classifier {
	return newClassifier(defaultProfile, keys, ClassifyKeyRequest)
}

// NewClassifierFor is NewClassifier for a run against profile p, which
// decides the class of a key import (Profile.ImportClass).
func NewClassifierFor(p *Profile, keys map[string]KeySpec) Classifier {
	return newClassifier(p, keys, func(method, path string, lookup func(string) (KeySpec, bool)) (Class, bool) {
		return ClassifyKeyRequestIn(p, method, path, lookup)
	})
}

// keyClassifier is ClassifyKeyRequest or ClassifyKeyRequestIn with a profile.
type keyClassifier func(method, path string, lookup func(name string) (KeySpec, bool)) (Class, bool)

// newClassifier classes certificates under p (their import's row depends on
// it), secrets by URL and keys with classifyKey.
func newClassifier(p *Profile, keys map[string]KeySpec, classifyKey keyClassifier) Classifier {
	urls := NewURLClassifier()
	if len(keys) == 0 {
		return func(method, rawURL string) (Class, bool) {
			if c, ok := certificateIn(p, method, rawURL); ok {
				return c, ok
			}
			if c, ok := urls(method, rawURL); ok {
				return c, ok
			}
			_, rest := SplitVault(urlPath(rawURL))
			return ClassifySecretRequest(method, rest)
		}
	}
	lookup := func(name string) (KeySpec, bool) {
		s, ok := keys[strings.ToLower(name)]
		return s, ok
	}
	return func(method, rawURL string) (Class, bool) {
		_, rest := SplitVault(urlPath(rawURL))
		if c, ok := ClassifyCertificateRequestIn(p, method, rest, certKey(keys, rest)); ok {
			return c, ok
		}
		if c, ok := ClassifySecretRequest(method, rest); ok {
			return c, ok
		}
		return classifyKey(method, rest, lookup)
	}
}

// VaultOf returns the vault a stored request went to ("" for the default).
func VaultOf(rawURL string) string {
	v, _ := SplitVault(urlPath(rawURL))
	return v
}

// certificateIn classes a certificate request under p (the URL classifier's
// ClassifySecretRequest knows only DefaultProfile).
func certificateIn(p *Profile, method, rawURL string) (Class, bool) {
	_, rest := SplitVault(urlPath(rawURL))
	return ClassifyCertificateRequestIn(p, method, rest, DefaultCertKey)
}

// certKey is the key of the certificate path names, as keys records it
// (CertKeyName), DefaultCertKey when keys does not know it.
func certKey(keys map[string]KeySpec, path string) KeySpec {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 {
		return DefaultCertKey
	}
	if spec, ok := keys[CertKeyName(segs[1])]; ok {
		return spec
	}
	return DefaultCertKey
}
