package audit

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
)

// Log reads the audit log for the API (DESIGN §8: the province reads it).
type Log struct {
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Now      func() time.Time // time.Now when nil
}

// Page is one page of the log, newest first: First events (1 to 500; nil:
// 50) with an id below BeforeID (nil: from the newest), of Action and with
// Outcome (SUCCEEDED or REFUSED) when not empty.
type Page struct {
	First, BeforeID *int
	Action          string
	Outcome         auditevent.Outcome
}

// Events returns a page of the log for the viewer in ctx.
// SECURITY: only who holds audit/read (the INITIATOR) reads the log. It is
// read through the request's scope filter all the same, which shows the
// INITIATOR every row and any other role none.
func (l *Log) Events(ctx context.Context, p Page) ([]*ent.AuditEvent, error) {
	q, err := l.EventsQuery(ctx, p.Action, p.Outcome)
	if err != nil {
		return nil, err
	}
	n := 50
	if p.First != nil {
		n = *p.First
	}
	if n < 1 || n > 500 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "first", "Ask for 1 to 500 events.")
	}
	q.Order(ent.Desc(auditevent.FieldID)).Limit(n)
	if p.BeforeID != nil {
		q.Where(auditevent.IDLT(*p.BeforeID))
	}
	return q.All(ctx)
}

// EventsQuery returns the events of action (every event when "") with
// outcome (either when "") for the viewer in ctx to page through (the
// auditEvents connection).
// SECURITY: the same check as Events (TestLogEvents): only who holds
// audit/read reads the log, and through the request's scope filter.
func (l *Log) EventsQuery(ctx context.Context, action string, outcome auditevent.Outcome) (*ent.AuditEventQuery, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	// SECURITY: the audit log is the INITIATOR's alone (TestLogEvents).
	if err := l.Enforcer.Check(v, authz.ObjAudit, authz.ActRead, v.ScopePath, now); err != nil {
		return nil, err
	}
	q := database.ClientFrom(ctx, l.Client).AuditEvent.Query()
	if action != "" {
		q.Where(auditevent.Action(action))
	}
	if outcome != "" {
		q.Where(auditevent.OutcomeEQ(outcome)) // an unknown value matches nothing
	}
	return q, nil
}
