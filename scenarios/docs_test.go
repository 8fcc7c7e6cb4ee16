package scenarios

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryNameIsDocumented keeps the two references of the file format, the
// package documentation and docs/scenario-format.md, from drifting behind the
// loader: every operation, check and field the loader accepts must appear in
// both.
func TestEveryNameIsDocumented(t *testing.T) {
	godoc, err := os.ReadFile("format.go")
	require.NoError(t, err)
	page, err := os.ReadFile("../docs/scenario-format.md")
	require.NoError(t, err)
	var names []string
	for _, o := range OpKinds {
		names = append(names, string(o))
	}
	for _, c := range Checks {
		names = append(names, string(c))
	}
	names = append(names, "name", "description", "profile", "window", "target", "limits", "seed",
		"setup", "stages", "mix", "expect", "duration", "rate", "to", "weight", "count", "size",
		"max-results", "kty", "key-size", "curve", "vaults", "clients", "tolerance", "stage")
	for _, n := range names {
		assert.True(t, strings.Contains(string(godoc), n), "format.go does not document %q", n)
		assert.True(t, strings.Contains(string(page), "`"+n+"`"), "docs/scenario-format.md does not document `%s`", n)
	}
}
