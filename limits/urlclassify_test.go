package limits

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestURLPath(t *testing.T) {
	for raw, want := range map[string]string{
		"https://127.0.0.1:8443/secrets/a?api-version=7.5": "/secrets/a",
		"https://vault.example.net/secrets/a/0123#frag":    "/secrets/a/0123",
		"https://vault.example.net":                        "/",
		"/secrets/a?x=1":                                   "/secrets/a",
		"https://h/secrets/a%2Db":                          "/secrets/a-b",
	} {
		require.Equal(t, want, urlPath(raw), raw)
	}
}

func TestClassifyByPathRemembersAnswers(t *testing.T) {
	classify := NewURLClassifier()
	for range 2 {
		c, ok := classify("PUT", "https://h/secrets/a?api-version=7.5")
		require.True(t, ok)
		require.Equal(t, SecretsCreate, c)
		c, ok = classify("GET", "https://h/secrets/a?api-version=7.5")
		require.True(t, ok)
		require.Equal(t, Secrets, c)
		c, ok = classify("GET", "https://h/secrets/a%2Db/0123#x")
		require.True(t, ok)
		require.Equal(t, Secrets, c)
		_, ok = classify("POST", "https://h/keys/k/create")
		require.False(t, ok)
		_, ok = classify("GET", "https://h")
		require.False(t, ok)
	}
}
