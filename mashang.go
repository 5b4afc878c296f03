// Package mashang holds the vocabulary shared by every package of the
// platform: error codes and the error type that carries them, and the
// viewer in the context.
//
// Dependency direction (deps_test.go enforces it):
//
//	cmd → app → httpserver → graph → domain packages → ent → mashang
//
// Domain packages (accounts, persons, scans, alerts, regionimport, demo, …)
// never import graph, httpserver, app or cmd; ent/schema imports no domain
// package.
package mashang

// Code generation: ent first (it writes schema/ent.graphqls), then gqlgen,
// run as a go.mod tool (`go tool gqlgen`).
//go:generate sh -c "cd ent && go run entc.go"
//go:generate go tool gqlgen generate
//go:generate go run ./cmd/gqlgenpost
