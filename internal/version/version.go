// Package version says which build of kvquota is running, from what the Go
// toolchain stamped into the binary (runtime/debug.ReadBuildInfo): the
// module version (v1.2.3 from `go install ...@v1.2.3`, "(devel)" from a
// checkout), the VCS commit and whether the tree had changes, and the Go and
// vegeta versions. It is the one source of `kvquota version`, the
// User-Agent kvquota's requests carry, and the versions run.json records.
package version

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Devel is the module version of a build from a checkout rather than a
// tagged module (the toolchain's "(devel)", or nothing stamped at all).
const Devel = "devel"

// vegetaModule is the attack library whose version a run records.
const vegetaModule = "github.com/tsenart/vegeta/v12"

// Info is what a binary knows about its own build.
type Info struct {
	// Module is the module's version, e.g. v1.2.3, or Devel.
	Module string
	// Revision is the VCS commit (vcs.revision), Time its commit time
	// (vcs.time) and Modified whether the tree had uncommitted changes
	// (vcs.modified); all empty when the build was not stamped (go build
	// -buildvcs=false, `go run`, or not built from a git checkout).
	Revision, Time string
	Modified       bool
	// Go is the toolchain that built the binary; Vegeta the vegeta module's
	// version.
	Go, Vegeta string
}

// Read returns the running binary's build information.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	return fromBuildInfo(bi, ok)
}

func fromBuildInfo(bi *debug.BuildInfo, ok bool) Info {
	i := Info{Module: Devel, Go: runtime.Version()}
	if !ok || bi == nil {
		return i
	}
	if bi.GoVersion != "" {
		i.Go = bi.GoVersion
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		i.Module = v
	}
	for _, d := range bi.Deps {
		if d.Path == vegetaModule {
			i.Vegeta = d.Version
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Revision = s.Value
		case "vcs.time":
			i.Time = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// Short is the version in one word, as the User-Agent (kvquota/<Short>) and
// run.json carry it: the module version, or for a checkout "devel", with
// the commit's first 12 hex digits when stamped (devel+0123456789ab).
func (i Info) Short() string {
	if i.Module == Devel && i.Revision != "" {
		return Devel + "+" + i.Revision[:min(12, len(i.Revision))]
	}
	return i.Module
}

// UserAgent names kvquota and its version to a target, so that its traffic
// stands out in a vault's logs.
func (i Info) UserAgent() string { return "kvquota/" + i.Short() }

// Write prints the build for a person (`kvquota version`).
func (i Info) Write(w io.Writer) {
	fmt.Fprintf(w, "kvquota %s\n", i.Module)
	switch {
	case i.Revision == "":
		fmt.Fprintln(w, "commit  unknown (the build was not stamped with its commit: built with -buildvcs=false, by go run, or outside a git checkout)")
	case i.Modified:
		fmt.Fprintf(w, "commit  %s, with uncommitted changes\n", i.Revision)
	default:
		fmt.Fprintf(w, "commit  %s\n", i.Revision)
	}
	if i.Time != "" {
		fmt.Fprintf(w, "date    %s\n", i.Time)
	}
	fmt.Fprintf(w, "go      %s\n", i.Go)
	if i.Vegeta != "" {
		fmt.Fprintf(w, "vegeta  %s\n", i.Vegeta)
	}
}
