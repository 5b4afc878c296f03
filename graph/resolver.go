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
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/scans"
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
	// RegistrationsPerHour bounds anonymous registerPerson calls per client
	// address (0: DefaultRegistrationsPerHour; negative: no limit).
	RegistrationsPerHour int
	Now                  func() time.Time
}

// Resolver is the root resolver.
type Resolver struct {
	Deps
	client        *ent.Client
	registrations *windowLimiter
}

// DefaultRegistrationsPerHour is the anonymous registerPerson calls one
// client address may make an hour.
const DefaultRegistrationsPerHour = 30

// NewResolver returns the root resolver.
func NewResolver(d Deps) *Resolver {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Codes == nil {
		d.Codes = &codes.Service{Client: d.Client, Enforcer: d.Enforcer, Persons: d.Persons, Signer: d.Signer, Now: d.Now}
	}
	if d.Trace == nil {
		d.Trace = &trace.Service{Client: d.Client, Enforcer: d.Enforcer, Now: d.Now}
	}
	if d.AuditLog == nil {
		d.AuditLog = &audit.Log{Client: d.Client, Enforcer: d.Enforcer, Now: d.Now}
	}
	perHour := d.RegistrationsPerHour
	if perHour == 0 {
		perHour = DefaultRegistrationsPerHour
	}
	return &Resolver{Deps: d, client: d.Client, registrations: newWindowLimiter(perHour, time.Hour)}
}
