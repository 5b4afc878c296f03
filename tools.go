//go:build tools

// Package tools pins the code generators so `make generate` is reproducible.
package tools

import (
	_ "entgo.io/contrib/entgql"
	_ "github.com/99designs/gqlgen"
)
