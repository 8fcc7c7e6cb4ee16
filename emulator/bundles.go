package emulator

import "github.com/kvquota/kvquota/emulator/store"

// The JSON shapes of the secrets REST API (azure-rest-api-specs
// specification/keyvault/data-plane, Security.KeyVault.Secrets), with members
// in the order the real service writes them (compare the azsecrets
// recordings in Azure/azure-sdk-for-go).

// secretAttributes is SecretAttributes.
type secretAttributes struct {
	Enabled         bool   `json:"enabled"`
	NotBefore       *int64 `json:"nbf,omitempty"`
	Expires         *int64 `json:"exp,omitempty"`
	Created         int64  `json:"created"`
	Updated         int64  `json:"updated"`
	RecoveryLevel   string `json:"recoveryLevel"`
	RecoverableDays int    `json:"recoverableDays"`
}

// secretBundle is SecretBundle (with a value) and SecretItem (without). Tags
// are omitted when none were ever given and kept as {} when set to {}
// (omitzero omits only a nil map).
type secretBundle struct {
	Value       *string           `json:"value,omitempty"`
	ContentType string            `json:"contentType,omitempty"`
	ID          string            `json:"id"`
	Attributes  secretAttributes  `json:"attributes"`
	Tags        map[string]string `json:"tags,omitzero"`
	// Kid and Managed are set on the secret a certificate owns
	// (SecretBundle.kid, SecretBundle.managed).
	Kid     string `json:"kid,omitempty"`
	Managed bool   `json:"managed,omitempty"`
}

// deletedSecretBundle is DeletedSecretBundle and DeletedSecretItem; neither
// carries the value.
type deletedSecretBundle struct {
	RecoveryID         string            `json:"recoveryId"`
	DeletedDate        int64             `json:"deletedDate"`
	ScheduledPurgeDate int64             `json:"scheduledPurgeDate"`
	ContentType        string            `json:"contentType,omitempty"`
	ID                 string            `json:"id"`
	Attributes         secretAttributes  `json:"attributes"`
	Tags               map[string]string `json:"tags,omitzero"`
}

// listResult is SecretListResult and DeletedSecretListResult. NextLink is
// null on the last page, as the real service writes it.
type listResult[T any] struct {
	Value    []T     `json:"value"`
	NextLink *string `json:"nextLink"`
}

// attributesOf is the SecretAttributes of s in a vault with deletion policy d
// (its recoveryLevel and recoverableDays).
func attributesOf(s store.Secret, d store.DeletionPolicy) secretAttributes {
	return secretAttributes{
		Enabled:         s.Attributes.Enabled,
		NotBefore:       s.Attributes.NotBefore,
		Expires:         s.Attributes.Expires,
		Created:         s.Attributes.Created,
		Updated:         s.Attributes.Updated,
		RecoveryLevel:   d.RecoveryLevel(),
		RecoverableDays: d.Days(),
	}
}

// secretID is the identifier of a secret ("https://host/secrets/name") or of
// one version of it (".../name/version").
func (rq *request) secretID(name, version string) string {
	id := rq.base + "/secrets/" + name
	if version != "" {
		id += "/" + version
	}
	return id
}

// bundle is the SecretBundle of s, with its value when withValue.
func (rq *request) bundle(s store.Secret, withValue bool) secretBundle {
	b := secretBundle{
		ContentType: s.ContentType,
		ID:          rq.secretID(s.Name, s.Version),
		Attributes:  attributesOf(s, rq.v.cfg.Deletion),
		Tags:        s.Tags,
		Managed:     s.Managed,
	}
	if s.Managed {
		b.Kid = rq.keyID(s.Name, s.Version)
	}
	if withValue {
		v := s.Value
		b.Value = &v
	}
	return b
}

// item is the SecretItem of s in a list of secrets: its id names the secret,
// not a version, and it has no value.
func (rq *request) item(s store.Secret) secretBundle {
	b := rq.bundle(s, false)
	b.ID = rq.secretID(s.Name, "")
	b.Kid = "" // SecretItem has managed but no kid
	return b
}

// deletedBundle is the DeletedSecretBundle of d; in lists (item) the id names
// the secret, not a version.
func (rq *request) deletedBundle(d store.DeletedSecret, item bool) deletedSecretBundle {
	version := d.Version
	if item {
		version = ""
	}
	return deletedSecretBundle{
		RecoveryID:         rq.base + "/deletedsecrets/" + d.Name,
		DeletedDate:        d.DeletedDate,
		ScheduledPurgeDate: d.ScheduledPurgeDate,
		ContentType:        d.ContentType,
		ID:                 rq.secretID(d.Name, version),
		Attributes:         attributesOf(d.Secret, rq.v.cfg.Deletion),
		Tags:               d.Tags,
	}
}
