package kverror

import "github.com/kvquota/kvquota/internal/uuid"

// NewRequestID returns a fresh random UUID (version 4), the form of Key Vault's
// x-ms-request-id.
func NewRequestID() string { return uuid.New() }
