package sdktest

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
)

// TestSuiteScriptIsInStep keeps run-sdk-suites.sh, which runs the Azure SDK's
// own test suites against the emulator, in step with the project: the
// identity it signs in with is the emulator's built-in one, and the suite
// versions it runs are the versions go.mod requires (when go.mod has them),
// so that what the suites prove is about the clients this module uses.
func TestSuiteScriptIsInStep(t *testing.T) {
	script, err := os.ReadFile("run-sdk-suites.sh")
	require.NoError(t, err)
	s := string(script)
	id := auth.DefaultIdentity()
	assert.Contains(t, s, "\ntenant="+auth.DefaultTenant+"\n")
	assert.Contains(t, s, "\nclient="+id.ClientID+"\n")
	assert.Contains(t, s, "\nsecret="+id.ClientSecret+"\n")

	mod, err := os.ReadFile("../go.mod")
	require.NoError(t, err)
	for _, suite := range []string{"azsecrets", "azkeys", "azcertificates"} {
		m := regexp.MustCompile(`\[` + suite + `\]=(v[0-9.]+)`).FindStringSubmatch(s)
		require.NotNil(t, m, "the script names a version of %s", suite)
		req := regexp.MustCompile(`sdk/security/keyvault/` + suite + ` (v[0-9.]+)`).FindStringSubmatch(string(mod))
		if req == nil {
			continue // not a dependency of this module (yet)
		}
		assert.Equal(t, req[1], m[1], "%s: the script runs the version go.mod requires", suite)
	}
	assert.True(t, strings.HasPrefix(s, "#!/usr/bin/env bash\n"))
}
