package plots

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

func TestDefaultClassifier(t *testing.T) {
	classify := classifyByPath()
	for range 2 { // the second time from memory
		c, ok := classify("PUT", "https://127.0.0.1:8443/secrets/a?api-version=7.5")
		require.True(t, ok)
		require.Equal(t, limits.SecretsCreate, c)
		c, ok = classify("GET", "https://h/secrets/a%2Db/0123#x")
		require.True(t, ok)
		require.Equal(t, limits.Secrets, c)
		_, ok = classify("POST", "https://h/keys/k/create")
		require.False(t, ok)
		_, ok = classify("GET", "https://h")
		require.False(t, ok)
	}
}
