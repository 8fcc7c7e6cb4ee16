package emulator

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"math/big"

	"github.com/kvquota/kvquota/emulator/store"
)

// The JSON shapes of the keys REST API (azure-rest-api-specs, KeyVault
// keys.json: JsonWebKey, KeyBundle, KeyItem, DeletedKeyBundle,
// KeyOperationResult, KeyVerifyResult). Only public material is ever written.

type jsonWebKey struct {
	Kid    string   `json:"kid"`
	Kty    string   `json:"kty"`
	KeyOps []string `json:"key_ops"`
	N      string   `json:"n,omitempty"`
	E      string   `json:"e,omitempty"`
	Crv    string   `json:"crv,omitempty"`
	X      string   `json:"x,omitempty"`
	Y      string   `json:"y,omitempty"`
}

type keyAttributes struct {
	Enabled         bool   `json:"enabled"`
	NotBefore       *int64 `json:"nbf,omitempty"`
	Expires         *int64 `json:"exp,omitempty"`
	Created         int64  `json:"created"`
	Updated         int64  `json:"updated"`
	RecoveryLevel   string `json:"recoveryLevel"`
	RecoverableDays int    `json:"recoverableDays"`
	Exportable      bool   `json:"exportable"`
}

// Tags are omitted when a key has none and kept as {} when they were set
// empty (omitzero: only a nil map is left out).
type keyBundle struct {
	Key        jsonWebKey        `json:"key"`
	Attributes keyAttributes     `json:"attributes"`
	Tags       map[string]string `json:"tags,omitzero"`
	// Managed is true for a certificate's key (KeyBundle.managed).
	Managed bool `json:"managed,omitempty"`
}

type keyItem struct {
	Kid        string            `json:"kid"`
	Attributes keyAttributes     `json:"attributes"`
	Tags       map[string]string `json:"tags,omitzero"`
}

type deletedKeyItem struct {
	RecoveryID         string `json:"recoveryId"`
	DeletedDate        int64  `json:"deletedDate"`
	ScheduledPurgeDate int64  `json:"scheduledPurgeDate"`
	keyItem
}

type deletedKeyBundle struct {
	RecoveryID         string `json:"recoveryId"`
	DeletedDate        int64  `json:"deletedDate"`
	ScheduledPurgeDate int64  `json:"scheduledPurgeDate"`
	keyBundle
}

type keyOperationResult struct {
	Kid   string `json:"kid"`
	Value string `json:"value"`
}

type keyVerifyResult struct {
	Value bool `json:"value"`
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// padded is x big-endian in exactly n bytes, as JWK coordinates are.
func padded(x *big.Int, n int) []byte { return x.FillBytes(make([]byte, n)) }

func (rq *request) keyID(name, version string) string {
	return rq.base + "/keys/" + name + "/" + version
}

func (rq *request) keyBundle(k store.Key) keyBundle {
	j := jsonWebKey{Kid: rq.keyID(k.Name, k.Version), Kty: k.Kty, KeyOps: k.Ops}
	switch pk := k.Private.(type) {
	case *rsa.PrivateKey:
		j.N = b64(pk.N.Bytes())
		j.E = b64(big.NewInt(int64(pk.E)).Bytes())
	case *ecdsa.PrivateKey:
		n := (pk.Curve.Params().BitSize + 7) / 8
		j.Crv = k.Curve
		j.X = b64(padded(pk.X, n))
		j.Y = b64(padded(pk.Y, n))
	case *k1Key:
		j.Crv = k.Curve
		j.X = b64(padded(pk.pub.x, 32))
		j.Y = b64(padded(pk.pub.y, 32))
	}
	return keyBundle{Key: j, Attributes: rq.keyAttrs(k), Tags: k.Tags, Managed: k.Managed}
}

// keyAttrs are a version's attributes, with the vault's deletion policy.
func (rq *request) keyAttrs(k store.Key) keyAttributes {
	d := rq.v.cfg.Deletion
	return keyAttributes{Enabled: k.Enabled, NotBefore: k.NotBefore, Expires: k.Expires,
		Created: k.Created, Updated: k.Updated, Exportable: k.Exportable,
		RecoveryLevel: d.RecoveryLevel(), RecoverableDays: d.Days()}
}

// keyItem is a version's KeyItem: id (with the version when versioned),
// attributes and tags.
func (rq *request) keyItem(k store.Key, versioned bool) keyItem {
	kid := rq.base + "/keys/" + k.Name
	if versioned {
		kid = rq.keyID(k.Name, k.Version)
	}
	return keyItem{Kid: kid, Attributes: rq.keyAttrs(k), Tags: k.Tags}
}

func (rq *request) deletedKeyBundle(d store.DeletedKey) deletedKeyBundle {
	return deletedKeyBundle{RecoveryID: rq.base + "/deletedkeys/" + d.Name, DeletedDate: d.DeletedDate,
		ScheduledPurgeDate: d.ScheduledPurgeDate, keyBundle: rq.keyBundle(d.Key)}
}
