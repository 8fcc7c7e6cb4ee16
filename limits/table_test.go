package limits

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWriteTableMatchesKeyvaultMD holds every row as shared/KEYVAULT.md prints it.
func TestWriteTableMatchesKeyvaultMD(t *testing.T) {
	rows := map[string][]string{
		"2018": {
			"RSA 2048 5 1000 10 2000",
			"RSA 3072 5 250 10 500",
			"RSA 4096 5 125 10 250",
			"EC P-256, P-384, P-521, SECP256K1 5 1000 10 2000",
			"all transactions: 2000",
		},
		"2021": {
			"RSA 2048 10 2000 20 4000",
			"RSA 3072 10 500 20 1000",
			"RSA 4096 10 250 20 500",
			"EC P-256, P-384, P-521, SECP256K1 10 2000 20 4000",
			"secret CREATE: 300",
			"all other transactions: 4000",
		},
		"2025": {
			"RSA 2048 10 2000 20 4000",
			"EC P-256, P-384, P-521, SECP256K1 10 2000 20 4000",
			"CREATE secret, IMPORT certificate and IMPORT key (together): 300",
			"all other transactions: 4000",
		},
	}
	space := regexp.MustCompile(`\s+`)
	for name, want := range rows {
		var b strings.Builder
		WriteTable(&b, MustGet(name))
		var lines []string
		for _, l := range strings.Split(b.String(), "\n") {
			lines = append(lines, strings.TrimSpace(space.ReplaceAllString(l, " ")))
		}
		for _, w := range want {
			assert.Contains(t, lines, w, "profile %s", name)
		}
		assert.Contains(t, b.String(), "5x a vault's")
	}
}
