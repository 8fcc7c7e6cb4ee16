package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// What the emulator cannot do, answered with Key Vault errors that say why:
// secure key release needs an attestation service, and key attestation is a
// Managed HSM feature.

// POST /keys/{name}[/{version}]/release: Key Vault releases an exportable
// key only against an attestation token from an attestation service
// (Microsoft Azure Attestation), which the emulator does not have; it says
// so, after checking the key exists.
func releaseKey(rq *request) {
	var b struct {
		Target string `json:"target"`
	}
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	k, err := rq.v.keyStore().Get(rq.param("name"), rq.param("version"))
	if err != nil {
		rq.fail(keyError(err, nameAndVersion(rq)))
		return
	}
	if !k.Exportable {
		rq.fail(kverror.BadParameter("Key " + clip(k.Name) + " is not exportable; only a key made with attributes.exportable and a release policy can be released."))
		return
	}
	rq.fail(kverror.New(http.StatusBadRequest, "BadParameter",
		"Key release needs an attestation service (Microsoft Azure Attestation) to verify the target's attestation token; the kvquota emulator has none, so it cannot release keys."))
}

// GET /keys/{name}[/{version}]/attestation (GetKeyAttestation): Key Vault
// returns an attestation blob for Managed HSM keys only; the emulator, a
// vault, says so after checking the key exists.
func keyAttestation(rq *request) {
	if _, err := rq.v.keyStore().Get(rq.param("name"), rq.param("version")); err != nil {
		rq.fail(keyError(err, nameAndVersion(rq)))
		return
	}
	rq.fail(kverror.BadParameter("Key attestation is available for Managed HSM keys only; the kvquota emulator is a vault, not a Managed HSM."))
}
