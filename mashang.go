// Package mashang holds the vocabulary shared by every package of the
// platform: error codes and the error type that carries them.
//
// Dependency direction: cmd → graph, httpserver → domain packages
// (regionimport, demo, scenario, validate, …) → ent → mashang.
package mashang

// Code generation: ent first (it writes schema/ent.graphqls), then gqlgen.
//go:generate sh -c "cd ent && go run -mod=mod entc.go"
//go:generate go run github.com/99designs/gqlgen generate
