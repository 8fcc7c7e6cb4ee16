package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromBuildInfo(t *testing.T) {
	stamped := func(v string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: "github.com/kvquota/kvquota", Version: v},
			Deps:     []*debug.Module{{Path: "github.com/tsenart/vegeta/v12", Version: "v12.13.0"}},
			Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	for _, tc := range []struct {
		name      string
		bi        *debug.BuildInfo
		ok        bool
		short     string
		firstLine string
		commit    string
	}{
		{"go install @v1.2.3", stamped("v1.2.3"), true, "v1.2.3", "kvquota v1.2.3", "commit  unknown"},
		{"checkout, stamped", stamped("(devel)", rev, debug.BuildSetting{Key: "vcs.modified", Value: "false"}), true,
			"devel+0123456789ab", "kvquota devel", "commit  0123456789abcdef0123456789abcdef01234567\n"},
		{"checkout, changed", stamped("(devel)", rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"}), true,
			"devel+0123456789ab", "kvquota devel", "commit  0123456789abcdef0123456789abcdef01234567, with uncommitted changes"},
		{"pseudo-version with its commit", stamped("v0.0.0-20261202031500-0123456789ab", rev), true,
			"v0.0.0-20261202031500-0123456789ab", "kvquota v0.0.0-20261202031500-0123456789ab", "commit  0123"},
		{"-buildvcs=false", stamped(""), true, "devel", "kvquota devel", "commit  unknown"},
		{"no build info", nil, false, "devel", "kvquota devel", "commit  unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := fromBuildInfo(tc.bi, tc.ok)
			assert.Equal(t, tc.short, i.Short())
			assert.Equal(t, "kvquota/"+tc.short, i.UserAgent())
			var b strings.Builder
			i.Write(&b)
			lines := strings.SplitN(b.String(), "\n", 2)
			assert.Equal(t, tc.firstLine, lines[0])
			assert.Contains(t, b.String(), tc.commit)
			if tc.ok {
				assert.Contains(t, b.String(), "go      go1.26.1\nvegeta  v12.13.0\n")
			} else {
				assert.Contains(t, b.String(), "go      "+runtime.Version())
			}
		})
	}
}
