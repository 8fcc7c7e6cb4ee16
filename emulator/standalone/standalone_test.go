package standalone

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
)

// TestStartServesThePlanAndWritesItsCA: the plan's profile, window and
// limits, the deletion settings over the defaults, the CA written where
// asked, and a banner that says how to use it.
func TestStartServesThePlanAndWritesItsCA(t *testing.T) {
	p, err := plan.Resolve(plan.Request{Command: plan.Emulate, Profile: "2018", Window: "fixed", Limits: []string{"secrets=1500"}})
	require.NoError(t, err)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	r, err := Start(Options{Plan: p, Addr: "127.0.0.1:0", CAOut: ca, RetentionDays: 7, PurgeProtection: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })

	assert.Equal(t, "2018", r.cfg.Profile.Name)
	assert.Equal(t, 1500, r.cfg.Profile.Limit(limits.Secrets))
	assert.Equal(t, limits.Fixed, r.cfg.Window)
	assert.Equal(t, 7, r.cfg.Deletion.RetentionDays)
	assert.True(t, r.cfg.Deletion.PurgeProtection)

	b, err := os.ReadFile(ca)
	require.NoError(t, err)
	blk, _ := pem.Decode(b)
	require.NotNil(t, blk)
	cert, err := x509.ParseCertificate(blk.Bytes)
	require.NoError(t, err)
	assert.True(t, cert.IsCA)

	var w bytes.Buffer
	r.WriteBanner(&w)
	assert.Contains(t, w.String(), r.URL)
	assert.Contains(t, w.String(), "profile 2018, fixed window")
	assert.Contains(t, w.String(), ca)
	assert.NotContains(t, w.String(), "DELIBERATELY WRONG")
}

// TestAFaultyEmulatorSaysSo: `kvquota emulate --fault ...` serves the wrong
// vault asked for and its banner says it is wrong.
func TestAFaultyEmulatorSaysSo(t *testing.T) {
	p, err := plan.Resolve(plan.Request{Command: plan.Emulate, Faults: []string{"per-client", "window-short"}})
	require.NoError(t, err)
	r, err := Start(Options{Plan: p, Addr: "127.0.0.1:0", CAOut: filepath.Join(t.TempDir(), "ca.pem")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	assert.Equal(t, []emulator.Fault{emulator.FaultPerClient, emulator.FaultWindowShort}, r.cfg.Faults)
	var w bytes.Buffer
	r.WriteBanner(&w)
	assert.Contains(t, w.String(), "DELIBERATELY WRONG: per-client, window-short (--fault)")
}

// TestStartRefusesABadConfigFile as a usage error that names the file.
func TestStartRefusesABadConfigFile(t *testing.T) {
	p, err := plan.Resolve(plan.Request{Command: plan.Emulate})
	require.NoError(t, err)
	bad := filepath.Join(t.TempDir(), "vault.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("identities: [1, 2\n"), 0o644))
	_, err = Start(Options{Plan: p, Addr: "127.0.0.1:0", ConfigFile: bad, CAOut: filepath.Join(t.TempDir(), "ca.pem")})
	require.Error(t, err)
	assert.True(t, errors.Is(err, plan.ErrUsage), "%v", err)
	assert.Contains(t, err.Error(), "vault.yaml")
}
