// Package store holds the emulated vault's objects: secrets with their
// versions, and soft-deleted secrets until they are recovered or purged.
//
// Names are case-insensitive, as in Key Vault: "My-Secret" and "my-secret" are
// one secret, which keeps the spelling it was created with. Timestamps come
// from the store's clock, in Unix seconds as the REST API shows them.
package store

import "time"

// RecoveryLevel is the deletion recovery level of every emulated secret: a
// vault with soft delete on and purge protection off, today's default.
const RecoveryLevel = "Recoverable+Purgeable"

// RecoverableDays is the soft-delete retention of every emulated secret.
const RecoverableDays = 90

// Retention is how long a deleted secret stays recoverable.
const Retention = RecoverableDays * 24 * time.Hour

// Attributes are a secret version's management attributes.
type Attributes struct {
	Enabled bool
	// NotBefore and Expires are optional Unix times (nbf, exp).
	NotBefore *int64
	Expires   *int64
	Created   int64
	Updated   int64
}

// Secret is one version of a secret.
type Secret struct {
	// Name is the secret's name as first created.
	Name string
	// Version is the version id: 32 lowercase hex digits.
	Version     string
	Value       string
	ContentType string
	Tags        map[string]string
	Attributes  Attributes
	// Managed is true for the secret a certificate owns (certowned.go).
	Managed bool `json:",omitempty"`
}

// DeletedSecret is a soft-deleted secret, shown by its latest version.
type DeletedSecret struct {
	Secret
	DeletedDate        int64
	ScheduledPurgeDate int64
}

// SetParams are the inputs of setting a secret (creating a new version).
type SetParams struct {
	Value       string
	ContentType string
	Tags        map[string]string
	// Enabled defaults to true when nil.
	Enabled   *bool
	NotBefore *int64
	Expires   *int64
}

// UpdateParams change a version's properties; nil fields are left as they are.
type UpdateParams struct {
	ContentType *string
	Tags        map[string]string
	Enabled     *bool
	NotBefore   *int64
	Expires     *int64
}

func (s *Secret) clone() Secret {
	c := *s
	c.Tags = cloneTags(s.Tags)
	c.Attributes.NotBefore = clonePtr(s.Attributes.NotBefore)
	c.Attributes.Expires = clonePtr(s.Attributes.Expires)
	return c
}

func clonePtr(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// cloneTags copies tags so that callers never share the store's maps. nil (no
// tags given) and an empty map (tags set to {}) stay apart: Key Vault answers
// the second with "tags": {}.
func cloneTags(t map[string]string) map[string]string {
	if t == nil {
		return nil
	}
	c := make(map[string]string, len(t))
	for k, v := range t {
		c[k] = v
	}
	return c
}
