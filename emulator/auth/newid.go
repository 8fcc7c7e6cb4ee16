package auth

import "github.com/kvquota/kvquota/emulator/kverror"

// newID returns a fresh random UUID for trace and correlation ids.
func newID() string { return kverror.NewRequestID() }
