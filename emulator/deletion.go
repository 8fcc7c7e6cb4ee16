package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// DeletionPolicy is the vault's soft-delete setting (Config.Deletion): the
// retention in days, purge protection, and the recoveryLevel and
// recoverableDays every bundle reports. Secrets, keys and certificates all
// read this one value; see store.DeletionPolicy.
type DeletionPolicy = store.DeletionPolicy

// errPurgeProtected is Key Vault's refusal to purge in a vault with purge
// protection (the service's text, as quoted in microsoft/AzureTRE#1760).
func errPurgeProtected() *kverror.Error {
	return kverror.New(http.StatusForbidden, "Forbidden",
		`Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.`)
}
