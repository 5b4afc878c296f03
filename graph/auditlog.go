package graph

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
)

// selfAudited mutations write their own, richer audit event.
var selfAudited = map[string]bool{"recordScan": true, "recordScans": true, "selfScan": true,
	"registerPersistedQuery": true, "decidePersistedQuery": true}

// idArguments are the argument and input keys whose values are global ids,
// the only values copied into an audit event (DESIGN §8: never personal
// data in the log).
var idArguments = map[string]bool{
	"id": true, "person": true, "site": true, "alert": true, "region": true, "assignee": true,
	"accountId": true, "scopeId": true, "parentId": true, "residenceRegion": true, "siteId": true,
}

// auditMutation writes the audit event of a successful mutation (DESIGN §8;
// seed 003 §六(三)) with c, the mutation's transaction when it has one, so
// the event commits with the write: who, which mutation, the ids it named
// and the names of the other arguments given, never their values.
func auditMutation(ctx context.Context, c *ent.Client, now time.Time) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || selfAudited[fc.Field.Name] {
		return nil
	}
	e := attemptEvent(ctx, fc, fc.Field.Name)
	// The system writes the audit row, whoever the caller: nothing of it
	// goes back to the caller.
	return audit.Record(authz.AsSystem(ctx), c, e, now)
}

// refusalAudited are the sensitive fields ("Object.field") whose refused
// attempts are audited too, with the action their successes are audited
// under (issue 10 #17: the log shows attempts, not only successes): grants,
// unmasking, tracing, setRisk, disabling and activating accounts.
var refusalAudited = map[string]string{
	"Mutation.giveGrant":        "giveGrant",
	"Mutation.revokeGrant":      "revokeGrant",
	"Mutation.setRisk":          "setRisk",
	"Mutation.disableAccount":   "disableAccount",
	"Mutation.activateAccount":  "activateAccount",
	"Query.personTrajectory":    "personTrajectory", // trace.Service audits the use
	"Query.coLocated":           "coLocated",
	"Person.identity":           "unmaskPerson",     // persons.Service.Unmask audits the read
	"Mutation.startScansExport": "startScansExport", // personal records in bulk (issue 14)
}

// auditRefusal writes the audit event of a refused attempt at a sensitive
// field (refusalAudited) that failed with err: outcome REFUSED and the
// error code the caller was answered with, who, the ids named and the
// names of the other arguments, never their values. It runs after the
// field's transaction rolled back, in a transaction of its own on root,
// and is chained like any other event. Nothing is written for other
// fields, for an internal error (no refusal), or for a caller who is not
// logged in (an anonymous flood would only contend for the chain lock;
// the access log has those). A failure to audit is returned instead of
// err: the caller was refused anyway.
func auditRefusal(ctx context.Context, root *ent.Client, now time.Time, err error) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || err == nil {
		return err
	}
	action, ok := refusalAudited[fc.Object+"."+fc.Field.Name]
	code := refusalCode(err)
	if !ok || code == mashang.EINTERNAL || mashang.ViewerFromContext(ctx) == nil {
		return err
	}
	e := attemptEvent(ctx, fc, action)
	e.Refused = code
	if p := personOf(fc); p != nil {
		e.Target = "person:" + strconv.Itoa(p.ID)
	}
	sys := authz.AsSystem(database.WithoutTx(ctx))
	if aerr := audit.Record(sys, root, e, now); aerr != nil {
		return mashang.Wrap(aerr, "graph.auditRefusal")
	}
	return err
}

// refusalCode is the code the caller is answered with for err (as the
// error presenter makes it for ent's not-found).
func refusalCode(err error) string {
	if code := mashang.ErrorCode(err); code != mashang.EINTERNAL {
		return code
	}
	if ent.IsNotFound(err) {
		return mashang.ENOTFOUND
	}
	return mashang.EINTERNAL
}

// attemptEvent is the audit event of an attempt at the field of fc by the
// viewer in ctx: the ids among its arguments and the names of the others.
func attemptEvent(ctx context.Context, fc *graphql.FieldContext, action string) audit.Event {
	detail := map[string]any{}
	ids := map[string]string{}
	var given []string
	var args map[string]any
	if b, jerr := json.Marshal(fc.Args); jerr == nil {
		_ = json.Unmarshal(b, &args)
	}
	collect(args, "", ids, &given)
	sort.Strings(given)
	if len(ids) > 0 {
		detail["ids"] = ids
	}
	detail["args"] = given
	e := audit.Event{Action: action, Detail: detail}
	if v := mashang.ViewerFromContext(ctx); v != nil {
		id := v.AccountID
		e.AccountID = &id
	}
	return e
}

// personOf is the person whose field fc resolves (Person.identity): the
// result of the enclosing field, or of the list item it is in.
func personOf(fc *graphql.FieldContext) *ent.Person {
	if fc.Object != "Person" || fc.Parent == nil {
		return nil
	}
	switch p := fc.Parent.Result.(type) {
	case *ent.Person:
		return p
	case **ent.Person:
		if p != nil {
			return *p
		}
	}
	return nil
}

func collect(args map[string]any, prefix string, ids map[string]string, given *[]string) {
	for k, v := range args {
		name := prefix + k
		switch x := v.(type) {
		case nil:
			continue
		case float64:
			if idArguments[k] {
				ids[name] = strconv.FormatFloat(x, 'f', -1, 64)
				continue
			}
		case map[string]any:
			collect(x, name+".", ids, given)
			continue
		}
		*given = append(*given, name)
	}
}

// newestAuditEventsFirst is the order of the auditEvents connection.
var newestAuditEventsFirst = &ent.AuditEventOrder{Direction: entgql.OrderDirectionDesc, Field: ent.DefaultAuditEventOrder.Field}
