package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDeletionPolicyLevels(t *testing.T) {
	for _, tc := range []struct {
		p     DeletionPolicy
		level string
		days  int
	}{
		{DeletionPolicy{}, "Recoverable+Purgeable", 90},
		{DeletionPolicy{RetentionDays: 90}, "Recoverable+Purgeable", 90},
		{DeletionPolicy{RetentionDays: 7}, "CustomizedRecoverable+Purgeable", 7},
		{DeletionPolicy{RetentionDays: 89, PurgeProtection: true}, "CustomizedRecoverable", 89},
		{DeletionPolicy{PurgeProtection: true}, "Recoverable", 90},
		{DeletionPolicy{PurgeProtection: true, ProtectedSubscription: true}, "Recoverable+ProtectedSubscription", 90},
		{DeletionPolicy{RetentionDays: 30, PurgeProtection: true, ProtectedSubscription: true}, "CustomizedRecoverable+ProtectedSubscription", 30},
	} {
		assert.NoError(t, tc.p.Validate())
		assert.Equal(t, tc.level, tc.p.RecoveryLevel(), "%+v", tc.p)
		assert.Equal(t, tc.days, tc.p.Days())
		assert.Equal(t, time.Duration(tc.days)*24*time.Hour, tc.p.Retention())
		assert.Equal(t, !tc.p.PurgeProtection, tc.p.Purgeable())
	}
	for _, bad := range []DeletionPolicy{{RetentionDays: 6}, {RetentionDays: 91}, {RetentionDays: -1}, {ProtectedSubscription: true}} {
		assert.Error(t, bad.Validate(), "%+v", bad)
	}
}
