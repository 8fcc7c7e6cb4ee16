package emulator

import (
	"errors"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// Soft-deleted certificates. Their keys and secrets are recovered and
// purged with them, as in Key Vault, where a certificate's key and secret
// cannot be recovered or purged on their own.

// GET /deletedcertificates.
func listDeletedCerts(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	deleted, next := rq.v.certStore().ListDeleted(p.after, p.size)
	res := listResult[deletedCertItem]{Value: make([]deletedCertItem, 0, len(deleted))}
	for _, d := range deleted {
		res.Value = append(res.Value, deletedCertItem{RecoveryID: rq.base + "/deletedcertificates/" + d.Name,
			DeletedDate: d.DeletedDate, ScheduledPurgeDate: d.ScheduledPurgeDate, certItem: rq.certItemOf(d.Cert, false)})
	}
	res.NextLink = rq.nextLink("/deletedcertificates", p, next)
	rq.ok(res)
}

// GET /deletedcertificates/{name}.
func getDeletedCert(rq *request) {
	d, err := rq.v.certStore().GetDeleted(rq.param("name"))
	if err != nil {
		rq.fail(deletedCertError(err, rq.param("name")))
		return
	}
	rq.ok(rq.deletedCertBundleOf(d))
}

// DELETE /deletedcertificates/{name}: purge, 204; refused under purge
// protection (the vault's DeletionPolicy).
func purgeDeletedCert(rq *request) {
	name := rq.param("name")
	if _, err := rq.v.certStore().GetDeleted(name); err == nil && !rq.v.cfg.Deletion.Purgeable() {
		rq.fail(errPurgeProtected())
		return
	}
	if err := rq.v.certStore().Purge(name); err != nil {
		rq.fail(deletedCertError(err, name))
		return
	}
	rq.v.keyStore().PurgeOwned(name)
	rq.v.secrets.PurgeOwned(name)
	rq.noContent()
}

// POST /deletedcertificates/{name}/recover: answered with the latest
// version's bundle.
func recoverDeletedCert(rq *request) {
	name := rq.param("name")
	c, p, err := rq.v.certStore().Recover(name)
	if err != nil {
		rq.fail(deletedCertError(err, name))
		return
	}
	rq.v.keyStore().RecoverOwned(name)
	rq.v.secrets.RecoverOwned(name)
	rq.ok(rq.certBundleOf(c, p))
}

func deletedCertError(err error, name string) *kverror.Error {
	if errors.Is(err, store.ErrNotFound) {
		return kverror.New(http.StatusNotFound, "CertificateNotFound", "Deleted Certificate not found: "+clip(name))
	}
	return certError(err, name)
}
