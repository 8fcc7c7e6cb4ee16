package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPlotAndCompareUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plot"}, "accepts 1 arg"},
		{[]string{"plot", missing}, "is not a kvquota run directory"},
		{[]string{"compare", missing}, "requires at least 2 arg"},
		{[]string{"compare", missing, missing}, "is not a kvquota run directory"},
		{[]string{"plot", missing, "--format", "gif"}, `unknown format "gif"`},
	} {
		var out, errb bytes.Buffer
		require.Equal(t, exitUsage, execute(tc.args, &out, &errb), tc.args)
		require.Contains(t, errb.String(), tc.want, tc.args)
	}
}
