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
	"github.com/mashang/mashang/ent"
)

// selfAudited mutations write their own, richer audit event.
var selfAudited = map[string]bool{"recordScan": true, "recordScans": true}

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
	e := audit.Event{Action: fc.Field.Name, Detail: detail}
	if v := mashang.ViewerFromContext(ctx); v != nil {
		id := v.AccountID
		e.AccountID = &id
	}
	// The system writes the audit row, whoever the caller: nothing of it
	// goes back to the caller.
	return audit.Record(authz.AsSystem(ctx), c, e, now)
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
