package store

import (
	"errors"
	"fmt"
	"time"
)

// DeletionPolicy is a vault's soft-delete setting, one for the whole vault:
// every collection (secrets, keys, certificates) reads its retention, its
// recovery level and whether purge is allowed from here. The zero value is
// Key Vault's default: 90 days, purgeable.
//
// The recovery levels are the DeletionRecoveryLevel enum of the data-plane
// spec (Azure/azure-rest-api-specs, specification/keyvault/data-plane/
// Microsoft.KeyVault/stable/2025-07-01, also azkeys/azsecrets
// DeletionRecoveryLevel): "Purgeable", "Recoverable+Purgeable",
// "Recoverable", "Recoverable+ProtectedSubscription",
// "CustomizedRecoverable+Purgeable", "CustomizedRecoverable",
// "CustomizedRecoverable+ProtectedSubscription". "Customized" means a
// retention of 7 <= days < 90; without "+Purgeable" purge is refused (purge
// protection); "+ProtectedSubscription" adds a subscription that cannot be
// cancelled. A soft-delete-less vault ("Purgeable") no longer exists: Key
// Vault turned soft delete on for every vault in 2020-2025, so the emulator
// does not offer it.
type DeletionPolicy struct {
	// RetentionDays is how long a deleted object stays recoverable, 7-90
	// (0 means 90).
	RetentionDays int `yaml:"retention_days" json:"retentionDays"`
	// PurgeProtection refuses every purge: deleted objects go only when
	// their retention ends.
	PurgeProtection bool `yaml:"purge_protection" json:"purgeProtection"`
	// ProtectedSubscription reports the "+ProtectedSubscription" levels
	// (only with PurgeProtection).
	ProtectedSubscription bool `yaml:"protected_subscription" json:"protectedSubscription"`
}

// The bounds of RetentionDays (softDeleteRetentionInDays in the ARM API).
const (
	MinRetentionDays = 7
	MaxRetentionDays = 90
)

// ErrPurgeProtected is a purge refused by purge protection.
var ErrPurgeProtected = errors.New("purge protection is enabled for this vault")

// Validate names what is wrong with the policy.
func (d DeletionPolicy) Validate() error {
	if d.RetentionDays != 0 && (d.RetentionDays < MinRetentionDays || d.RetentionDays > MaxRetentionDays) {
		return fmt.Errorf("soft-delete retention of %d days: Key Vault keeps deleted objects %d to %d days",
			d.RetentionDays, MinRetentionDays, MaxRetentionDays)
	}
	if d.ProtectedSubscription && !d.PurgeProtection {
		return errors.New("a protected subscription needs purge protection")
	}
	return nil
}

// Days is the retention in days (recoverableDays in every bundle).
func (d DeletionPolicy) Days() int {
	if d.RetentionDays == 0 {
		return MaxRetentionDays
	}
	return d.RetentionDays
}

// Retention is how long a deleted object stays recoverable.
func (d DeletionPolicy) Retention() time.Duration { return time.Duration(d.Days()) * 24 * time.Hour }

// Purgeable reports whether a deleted object may be purged before its
// retention ends.
func (d DeletionPolicy) Purgeable() bool { return !d.PurgeProtection }

// RecoveryLevel is the recoveryLevel of every bundle of the vault.
func (d DeletionPolicy) RecoveryLevel() string {
	level := "Recoverable"
	if d.Days() < MaxRetentionDays {
		level = "CustomizedRecoverable"
	}
	switch {
	case !d.PurgeProtection:
		return level + "+Purgeable"
	case d.ProtectedSubscription:
		return level + "+ProtectedSubscription"
	}
	return level
}
