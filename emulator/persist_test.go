package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/store"
)

// persisted is a vault on dir with one secret set through the handler, then
// closed (which writes the state).
func persisted(t *testing.T, dir string) {
	t.Helper()
	e := newEnv(t, Config{DataDir: dir})
	w := e.call(http.MethodPut, "/secrets/kept", map[string]any{"value": "v1"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.NoError(t, e.v.Close())
}

func TestPersistLeftoverTempFileIsIgnored(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	persisted(t, dir)
	// A write that died before its rename: half a file under the temp name.
	torn := filepath.Join(dir, tempPrefix+"12345")
	require.NoError(t, os.WriteFile(torn, []byte(`{"format":"kvquota-emulator-st`), 0o600))

	e := newEnv(t, Config{DataDir: dir})
	t.Cleanup(func() { _ = e.v.Close() })
	w := e.call(http.MethodGet, "/secrets/kept", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"value":"v1"`)
	_, err := os.Stat(torn)
	assert.ErrorIs(t, err, os.ErrNotExist, "the leftover temp file is removed")
}

func TestPersistBadStateFileIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	persisted(t, dir)
	path := filepath.Join(dir, StateFile)
	good, err := os.ReadFile(path)
	require.NoError(t, err)

	cases := map[string]struct {
		content []byte
		want    string
	}{
		"truncated": {good[:len(good)/2], "truncated"},
		"empty":     {nil, "truncated or empty"},
		"garbage":   {[]byte("not json at all"), "not a valid state file"},
		"newer":     {[]byte(`{"format":"kvquota-emulator-state","version":3,"future":true}`), "format version 3 is newer"},
		"other":     {[]byte(`{"format":"something-else","version":1}`), "not a kvquota emulator state file"},
		"bad latest": {[]byte(`{"format":"kvquota-emulator-state","version":1,"secrets":{"live":[{"name":"a","latest":"x",` +
			`"versions":[{"Name":"a","Version":"y"}]}]}}`), `latest version "x"`},
		"bad material": {[]byte(`{"format":"kvquota-emulator-state","version":1,"keys":{"materials":["AAAA"]}}`), "key material 0"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(d, StateFile), c.content, 0o600))
			_, err := New(Config{DataDir: d})
			require.Error(t, err, "never a silently empty vault")
			assert.Contains(t, err.Error(), filepath.Join(d, StateFile), "the error names the file")
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// TestPersistFlushesWithinDelay: a change reaches the file within FlushDelay
// without a Close, and reads and failed requests do not mark the state dirty.
func TestPersistFlushesWithinDelay(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnv(t, Config{DataDir: dir})
	t.Cleanup(func() { _ = e.v.Close() })
	w := e.call(http.MethodGet, "/secrets/none", nil)
	require.Equal(t, http.StatusNotFound, w.Code)
	assert.False(t, e.v.persist.dirty.Load(), "a read changes nothing")

	w = e.call(http.MethodPut, "/secrets/soon", map[string]any{"value": "v"})
	require.Equal(t, http.StatusOK, w.Code)
	path := filepath.Join(dir, StateFile)
	deadline := time.Now().Add(FlushDelay + 5*time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil {
			assert.Contains(t, string(b), `"soon"`)
			break
		}
		require.True(t, time.Now().Before(deadline), "state not written within %s", FlushDelay)
		time.Sleep(20 * time.Millisecond) // polling a real condition with a deadline
	}
}

// TestPersistKeyMaterialRoundTrip: every key type's material, P-256K
// included, comes back able to make signatures the original's public key
// verifies.
func TestPersistKeyMaterialRoundTrip(t *testing.T) {
	t.Parallel()
	m := &keyMaker{reuse: true}
	digest := sha256.Sum256([]byte("x"))
	for _, c := range []struct {
		bits  int
		curve string
	}{{2048, ""}, {0, "P-256"}, {0, "P-384"}, {0, "P-256K"}} {
		t.Run(fmt.Sprint(c.bits, c.curve), func(t *testing.T) {
			k, err := m.make(c.bits, c.curve)
			require.NoError(t, err)
			b, err := encodeMaterial(k)
			require.NoError(t, err)
			k2, err := decodeMaterial(b)
			require.NoError(t, err)
			assert.Equal(t, k.Public(), k2.Public())
			_, err = k2.Sign(rand.Reader, digest[:], crypto.SHA256)
			require.NoError(t, err)
		})
	}
	_, err := decodeMaterial([]byte(k1Prefix + "short"))
	require.Error(t, err)
}

// BenchmarkPersistWrite measures one full snapshot and atomic write of a
// store of 100,000 secret versions, the figure behind FlushDelay's debounce
// (persist.go). Run once: go test -run - -bench PersistWrite -benchtime 1x ./emulator/
func BenchmarkPersistWrite(b *testing.B) {
	v, err := New(Config{})
	require.NoError(b, err)
	for i := range 100_000 {
		_, err := v.secrets.Set(fmt.Sprintf("secret-%d", i%20_000), store.SetParams{Value: "a value of some thirty bytes..", ContentType: "text/plain"})
		require.NoError(b, err)
	}
	v.persist = &persister{v: v, path: filepath.Join(b.TempDir(), StateFile)}
	b.ResetTimer()
	for range b.N {
		require.NoError(b, v.persist.write())
	}
	b.StopTimer()
	fi, err := os.Stat(v.persist.path)
	require.NoError(b, err)
	b.ReportMetric(float64(fi.Size())/1e6, "MB")
}

// TestConfigFileDataDir: data_dir in the config file sets Config.DataDir;
// checking the file does not create or load the directory.
func TestConfigFileDataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	cfg, err := ParseConfigFile("emu.yaml", []byte("data_dir: "+dir+"\n"))
	require.NoError(t, err)
	assert.Equal(t, dir, cfg.DataDir)
	_, err = os.Stat(dir)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
