// Package graph resolves the GraphQL schema (schema/*.graphqls) over ent.
// Resolvers stay thin: they check, call ent or a domain package, and return.
package graph

import (
	"time"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/codes"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/persisted"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/ratelimit"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/trace"
)

// Deps are the services the resolvers call; Resolver is the only place they
// are injected.
type Deps struct {
	Client         *ent.Client
	Enforcer       *authz.Enforcer
	Auth           *auth.Service
	AccountService *accounts.Service
	// Signer signs this deployment's codes (DESIGN.md §7); may be nil.
	Signer *token.Signer
	// Issue 4: persons and colours, scans, alerts, control lists.
	Persons      *persons.Service
	Scans        *scans.Service
	Alerts       *alerts.Service
	ControlLists *controllist.Service
	// Codes issues person and site codes, Trace follows persons for
	// TRACER grants, AuditLog reads the audit log; each is built over the
	// dependencies above when nil.
	Codes    *codes.Service
	Trace    *trace.Service
	AuditLog *audit.Log
	// Persisted keeps the trusted documents (issue 12, point 6); built
	// over Client, Enforcer and the schema when nil.
	Persisted *persisted.Service
	// RegistrationsPerHour bounds anonymous registerPerson calls per client
	// address (0: DefaultRegistrationsPerHour; negative: no limit), and
	// ViewerRegistrationsPerHour a logged-in caller's per account (0:
	// DefaultViewerRegistrationsPerHour; negative: no limit).
	RegistrationsPerHour       int
	ViewerRegistrationsPerHour int
	// Stats answers Query.stats and Exports runs its XLSX exports (issue
	// 12); built over Client when nil (SQLite placeholders: set them for
	// PostgreSQL, as app.Services.Deps does).
	StatsQuery *stats.Query
	Exports    *stats.Exports
	// RateLimits keeps the counts (nil: an in-process ratelimit.Memory,
	// single replica only).
	RateLimits ratelimit.Store
	Now        func() time.Time
	// Rollups keeps the statistics of the writes resolvers make through
	// services built per request (sites); nil counts nothing (issue 12).
	Rollups *stats.Rollups
}

// Resolver is the root resolver.
type Resolver struct {
	Deps
	client *ent.Client
}

// Default registration limits: the anonymous registerPerson calls one client
// address may make an hour, and those of one logged-in account (an official
// registering residents at a desk; bulk goes through control lists).
const (
	DefaultRegistrationsPerHour       = 30
	DefaultViewerRegistrationsPerHour = 120
)

// NewResolver returns the root resolver.
func NewResolver(d Deps) *Resolver {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Codes == nil {
		d.Codes = &codes.Service{Client: d.Client, Enforcer: d.Enforcer, Persons: d.Persons, Signer: d.Signer, Now: d.Now}
		if d.Scans != nil { // one life of a rotating code, issued and checked
			d.Codes.RotateMinutes = int(d.Scans.SiteCodeRotate / time.Minute)
		}
	}
	if d.Trace == nil {
		d.Trace = &trace.Service{Client: d.Client, Enforcer: d.Enforcer, Now: d.Now}
	}
	if d.AuditLog == nil {
		d.AuditLog = &audit.Log{Client: d.Client, Enforcer: d.Enforcer, Now: d.Now}
	}
	if d.StatsQuery == nil {
		d.StatsQuery = &stats.Query{Client: d.Client, Enforcer: d.Enforcer, Now: d.Now}
	}
	if d.Exports == nil {
		d.Exports = &stats.Exports{Query: d.StatsQuery, DownloadPrefix: StatsExportPath}
	}
	if d.Persisted == nil {
		d.Persisted = &persisted.Service{Client: d.Client, Enforcer: d.Enforcer, Schema: schemaWithoutDefer(), Now: d.Now}
	}
	if d.RegistrationsPerHour == 0 {
		d.RegistrationsPerHour = DefaultRegistrationsPerHour
	}
	if d.ViewerRegistrationsPerHour == 0 {
		d.ViewerRegistrationsPerHour = DefaultViewerRegistrationsPerHour
	}
	if d.RateLimits == nil {
		d.RateLimits = ratelimit.NewMemory(d.Now)
	}
	return &Resolver{Deps: d, client: d.Client}
}
