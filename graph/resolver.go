// Package graph resolves the GraphQL schema (schema/*.graphqls) over ent.
// Resolvers stay thin: they call ent or a domain package and return.
package graph

import (
	"github.com/mashang/mashang/ent"
)

// Resolver is the root resolver; it is the only place dependencies are injected.
type Resolver struct {
	client *ent.Client
}

// NewResolver returns the root resolver over an ent client.
func NewResolver(client *ent.Client) *Resolver { return &Resolver{client: client} }
