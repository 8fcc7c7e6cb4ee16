package emulator

import (
	"crypto"
	"errors"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// Rotation: POST /keys/{name}/rotate makes a new version with fresh material
// now; a rotation policy's Rotate action does the same when it falls due on
// the vault's clock (store.Keys.RotateDue, run before every key request, so a
// fake clock in tests and the wall clock in `kvquota emulate` both drive it).

// rotationPolicyJSON is KeyRotationPolicy.
type rotationPolicyJSON struct {
	ID              string               `json:"id,omitempty"`
	LifetimeActions []lifetimeActionJSON `json:"lifetimeActions"`
	Attributes      *rotationPolicyAttrs `json:"attributes,omitempty"`
}

type lifetimeActionJSON struct {
	Trigger struct {
		TimeAfterCreate  string `json:"timeAfterCreate,omitempty"`
		TimeBeforeExpiry string `json:"timeBeforeExpiry,omitempty"`
	} `json:"trigger"`
	Action struct {
		Type string `json:"type"`
	} `json:"action"`
}

// rotationPolicyAttrs is KeyRotationPolicyAttributes.
type rotationPolicyAttrs struct {
	ExpiryTime string `json:"expiryTime,omitempty"`
	Created    int64  `json:"created,omitempty"`
	Updated    int64  `json:"updated,omitempty"`
}

// rotationMaterial makes a rotated version's material: the same type, size
// and curve as the version it follows.
func (v *Vault) rotationMaterial(k store.Key) (crypto.Signer, error) {
	return v.keyMaker().makeFresh(k.Size, k.Curve)
}

// rotateDue carries out the rotations that are due; a rotation changes
// state, so --data writes it.
func (v *Vault) rotateDue() {
	if n, _ := v.keys.RotateDue(v.rotationMaterial); n > 0 {
		v.persist.changed()
	}
}

// POST /keys/{name}/rotate: a new version now.
func rotateKey(rq *request) {
	k, err := rq.v.keyStore().Rotate(rq.param("name"), rq.v.rotationMaterial)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			rq.fail(keyError(err, rq.param("name")))
			return
		}
		rq.fail(kverror.Internal("The key could not be rotated."))
		return
	}
	rq.ok(rq.keyBundle(k))
}

// GET /keys/{name}/rotationpolicy: the key's policy, or Key Vault's default
// for a key that has none (notify 30 days before expiry).
func getRotationPolicy(rq *request) {
	name := rq.param("name")
	p, ok, err := rq.v.keyStore().RotationPolicyOf(name)
	if err != nil {
		rq.fail(keyError(err, name))
		return
	}
	if !ok {
		p = store.RotationPolicy{LifetimeActions: []store.LifetimeAction{{Type: "Notify", TimeBeforeExpiry: "P30D"}}}
	}
	rq.ok(rq.rotationPolicy(name, p, ok))
}

// PUT /keys/{name}/rotationpolicy: replace the key's policy.
func setRotationPolicy(rq *request) {
	var in rotationPolicyJSON
	if e := rq.decodeBody(&in); e != nil {
		rq.fail(e)
		return
	}
	p := store.RotationPolicy{}
	if in.Attributes != nil {
		p.ExpiryTime = in.Attributes.ExpiryTime
	}
	for _, a := range in.LifetimeActions {
		typ := a.Action.Type
		for _, known := range []string{"Rotate", "Notify"} {
			if strings.EqualFold(typ, known) {
				typ = known
			}
		}
		p.LifetimeActions = append(p.LifetimeActions, store.LifetimeAction{Type: typ,
			TimeAfterCreate: a.Trigger.TimeAfterCreate, TimeBeforeExpiry: a.Trigger.TimeBeforeExpiry})
	}
	if err := p.Validate(); err != nil {
		rq.fail(kverror.BadParameter("Invalid key rotation policy: " + err.Error() + "."))
		return
	}
	name := rq.param("name")
	set, err := rq.v.keyStore().SetRotationPolicy(name, p)
	if err != nil {
		rq.fail(keyError(err, name))
		return
	}
	rq.ok(rq.rotationPolicy(name, set, true))
}

func (rq *request) rotationPolicy(name string, p store.RotationPolicy, stored bool) rotationPolicyJSON {
	out := rotationPolicyJSON{ID: rq.base + "/keys/" + name + "/rotationpolicy",
		LifetimeActions: make([]lifetimeActionJSON, 0, len(p.LifetimeActions)), Attributes: &rotationPolicyAttrs{}}
	for _, a := range p.LifetimeActions {
		var j lifetimeActionJSON
		j.Trigger.TimeAfterCreate, j.Trigger.TimeBeforeExpiry, j.Action.Type = a.TimeAfterCreate, a.TimeBeforeExpiry, a.Type
		out.LifetimeActions = append(out.LifetimeActions, j)
	}
	if stored {
		out.Attributes = &rotationPolicyAttrs{ExpiryTime: p.ExpiryTime, Created: p.Created, Updated: p.Updated}
	}
	return out
}
