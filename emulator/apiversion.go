package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// LatestAPIVersion is the newest api-version the emulator knows, named in its
// 400s as the real service names its own.
const LatestAPIVersion = "2026-04-01"

// apiVersions are the api-version values the emulator accepts: the data plane's
// stable versions 2015-06-01, 2016-10-01 and 7.0 to 7.6, the previews the
// Azure SDKs shipped with, and the dated versions that followed 7.6. What the
// Azure SDK for Go sends (module CHANGELOGs and generated clients): azsecrets
// 1.1.0 sends 7.5, 1.4.0 7.6, 1.5.0 2025-07-01 and 1.5.1 2026-04-01; azkeys
// 1.5.0 sends 2025-07-01. A newer SDK that sends a version not listed here
// gets the real service's 400 for it, which says which version to add.
var apiVersions = map[string]bool{
	"2015-06-01":    true,
	"2016-10-01":    true,
	"7.0":           true,
	"7.1":           true,
	"7.2":           true,
	"7.3":           true,
	"7.4":           true,
	"7.5":           true,
	"7.6":           true,
	"7.3-preview":   true,
	"7.4-preview.1": true,
	"7.5-preview.1": true,
	"7.6-preview.1": true,
	"7.6-preview.2": true,
	"2025-07-01":    true,
	"2026-04-01":    true,
}

// checkAPIVersion returns the request's api-version, or the 400 Key Vault
// answers. The unknown-version text is the real service's
// (Azure/azure-sdk-for-net#14789, Azure/azure-sdk-for-python#28595); the
// missing-version text is the emulator's, in the same style.
func checkAPIVersion(r *http.Request) (string, *kverror.Error) {
	q := r.URL.Query()
	if !q.Has("api-version") {
		return "", kverror.New(http.StatusBadRequest, "BadParameter",
			"The api-version query parameter is required. Consider using the latest supported version ("+LatestAPIVersion+").")
	}
	v := q.Get("api-version")
	if !apiVersions[v] {
		return "", kverror.New(http.StatusBadRequest, "BadParameter",
			"The specified version ("+clip(v)+") is not recognized. Consider using the latest supported version ("+LatestAPIVersion+").")
	}
	return v, nil
}
