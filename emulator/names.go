package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// maxNameLength is the longest object name Key Vault accepts.
const maxNameLength = 127

// validName reports whether s is a Key Vault object name: 1 to 127 ASCII
// letters, digits and hyphens.
func validName(s string) bool {
	if len(s) == 0 || len(s) > maxNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// errBadName is the 400 for an invalid name. The wording is the emulator's;
// the code is Key Vault's usual BadParameter.
func errBadName(name string) *kverror.Error {
	return kverror.New(http.StatusBadRequest, "BadParameter",
		"The request URI contains an invalid name: "+clip(name)+
			". Names must be 1-127 characters long and contain only 0-9, a-z, A-Z and -.")
}
