package mashang

import (
	"runtime"
	"runtime/debug"
)

// Build describes the running binary, from the information the Go
// toolchain stamps into it: `mashang version` prints it and /metrics
// exports it as mashang_build_info.
type Build struct {
	// Version of the main module: a tag, a pseudo-version
	// (v0.0.0-DATE-REVISION, "+dirty" when built from a modified tree) or
	// "(devel)" when the toolchain knew none (go run, go test).
	Version string
	// Revision is the VCS commit the binary was built from, "unknown"
	// without VCS information.
	Revision string
	Modified bool   // the working tree had uncommitted changes
	Time     string // commit time (RFC 3339), "" when unknown
	// GoVersion is the toolchain that built the binary, e.g. "go1.26.8".
	GoVersion string
}

// ReadBuild returns the build information of the running binary.
func ReadBuild() Build {
	b := Build{Version: "(devel)", Revision: "unknown", GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	if info.GoVersion != "" {
		b.GoVersion = info.GoVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "vcs.time":
			b.Time = s.Value
		}
	}
	return b
}
