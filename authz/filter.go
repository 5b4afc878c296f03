package authz

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/intercept"
	"github.com/mashang/mashang/tree"
)

type requestKey struct{}
type systemKey struct{}

// WithRequest marks ctx as serving an API request: from then on every query
// is filtered by the viewer in ctx (or refused for an anonymous caller).
// The HTTP layer calls it for every GraphQL request.
func WithRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestKey{}, true)
}

// AsSystem marks ctx as the platform acting for itself inside a request
// (authenticating a token, logging in): queries are not filtered.
// SECURITY: use it only where the system acts — establishing who the viewer
// is, sweeps, imports, the demo, and a domain service's own reads and
// writes once it has checked its caller itself. Resolvers never make one,
// and a service never returns rows read through it that its own check did
// not decide the caller may see.
func AsSystem(ctx context.Context) context.Context {
	return context.WithValue(ctx, systemKey{}, true)
}

func filtered(ctx context.Context) bool {
	if sys, _ := ctx.Value(systemKey{}).(bool); sys {
		return false
	}
	req, _ := ctx.Value(requestKey{}).(bool)
	return req
}

// Filter returns the interceptor that restricts every query of a request to
// the acting account's scope (DESIGN.md §5 layer 2). It runs for root
// queries, edge traversals and eager loading alike, so no list, edge,
// node(id) or connection can return a row outside the scope.
// SECURITY: install it on the client the API uses (Install).
func Filter() ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		if !filtered(ctx) {
			return nil
		}
		v := mashang.ViewerFromContext(ctx)
		switch q.Type() {
		case "Region":
			// The division tree is public information.
			return nil
		}
		if v == nil {
			q.WhereP(none)
			return nil
		}
		if v.Disabled {
			restricted(q, v)
			return nil
		}
		if v.Role == mashang.RoleInitiator {
			// seed 001 §6: 发起扫码员具有…最高管理权限, 查看全部单位站点扫码登记数据.
			return nil
		}
		switch q.Type() {
		case "Site":
			q.WhereP(tree.Within("path", v.ScopePath))
			if v.Role == mashang.RoleOfficial && v.Sector != "" {
				q.WhereP(sql.FieldEQ("sector", v.Sector))
			}
		case "Unit":
			q.WhereP(func(s *sql.Selector) {
				s.Where(sql.Or(inSubtree(s.C("region_path"), v.ScopePath), sql.EQ(s.C("id"), v.UnitID)))
			})
		case "Account":
			// Own account tree (own, subordinates and their derived accounts,
			// seed 001 §11) and the user's own other accounts (§12).
			q.WhereP(func(s *sql.Selector) {
				s.Where(sql.Or(inSubtree(s.C("account_path"), v.AccountPath), sql.EQ(s.C("holder_id"), v.UserID)))
			})
		case "User":
			// SECURITY: not the holder of an account that waits for their
			// consent: a phone number alone binds nobody (issue 10 §2,
			// TestAnIntermediateCannotReadAStrangersHolderByGuessingTheirPhone).
			q.WhereP(func(s *sql.Selector) {
				holders := sql.Select("holder_id").From(sql.Table("accounts")).Where(sql.And(inSubtree("account_path", v.AccountPath),
					sql.Or(sql.IsNull("disabled_reason"), sql.NEQ("disabled_reason", "PENDING_CONSENT"))))
				s.Where(sql.Or(sql.EQ(s.C("id"), v.UserID), sql.In(s.C("id"), holders)))
			})
		case "ReactivationRequest":
			q.WhereP(func(s *sql.Selector) {
				mine := sql.Select("id").From(sql.Table("accounts")).Where(inSubtree("account_path", v.AccountPath))
				s.Where(sql.In(s.C("account_id"), mine))
			})
		case "Scan":
			scanScope(q, v)
		case "Alert":
			q.WhereP(alertsOf(v))
		case "AlertStep":
			// The steps of the alerts the viewer sees.
			q.WhereP(func(s *sql.Selector) {
				b := sql.Dialect(s.Dialect())
				t := b.Table("alerts")
				seen := b.Select(t.C("id")).From(t)
				alertsOf(v)(seen)
				s.Where(sql.In(s.C("alert_id"), seen))
			})
		case "AlertPause":
			q.WhereP(pausesOf(v))
		case "Person":
			// Residents are seen by the officials and grid workers of where
			// they live; scanners see the masked names on their scans only.
			switch v.Role {
			case mashang.RoleOfficial, mashang.RoleGridWorker:
				q.WhereP(tree.Within("residence_path", v.ScopePath))
			default:
				q.WhereP(none)
			}
		case "HealthDeclaration", "TestResult", "ColourChange":
			// A person's history is seen by whoever sees the person.
			// SECURITY: Person.declarations, testResults and colourChanges
			// and node(id) stay within the residents of the viewer's region
			// (TestPersonHistoryIsScoped).
			q.WhereP(personsOf(v))
		case "ImportJob":
			// The control-list imports the viewer submitted (controllist.jobsOf).
			q.WhereP(sql.FieldEQ("submitted_by_id", v.AccountID))
		case "Application":
			q.WhereP(sql.FieldEQ("submitted_by_id", v.AccountID))
		case "PersistedQuery": // the trusted documents it registered (the INITIATOR all, above)
			q.WhereP(sql.FieldEQ("owner_id", v.AccountID))
		case "Grant":
			q.WhereP(sql.FieldEQ("account_id", v.AccountID))
		default:
			// Sessions, the outbox, leases: never through the API.
			q.WhereP(none)
		}
		return nil
	})
}

func none(s *sql.Selector) { s.Where(sql.False()) }

// restricted is the scope of a restricted session (a disabled acting
// account, seed 001 §10: 任何扫码员账号被禁用，均须向上一级扫码员提出申请): the
// holder sees themself, their own accounts, the grants of the acting one
// and the reactivation requests of their accounts (with their state) —
// nothing of subordinates, sites, units, scans or anyone else, whatever
// the role.
// SECURITY: keeps a disabled INTERMEDIATE from reading its subordinates'
// holders and its unit's sites (issue 10 §8,
// TestADisabledIntermediateSeesOnlyItselfAndItsRequests).
func restricted(q intercept.Query, v *mashang.Viewer) {
	switch q.Type() {
	case "Account":
		q.WhereP(sql.FieldEQ("holder_id", v.UserID))
	case "User":
		q.WhereP(sql.FieldEQ("id", v.UserID))
	case "ReactivationRequest":
		q.WhereP(func(s *sql.Selector) {
			mine := sql.Select("id").From(sql.Table("accounts")).Where(sql.EQ("holder_id", v.UserID))
			s.Where(sql.In(s.C("account_id"), mine))
		})
	case "Grant":
		q.WhereP(sql.FieldEQ("account_id", v.AccountID))
	default:
		q.WhereP(none)
	}
}

// personsOf selects the rows of the persons v sees (the Person case above)
// by their person_id column.
func personsOf(v *mashang.Viewer) func(*sql.Selector) {
	return func(s *sql.Selector) {
		switch v.Role {
		case mashang.RoleOfficial, mashang.RoleGridWorker:
			b := sql.Dialect(s.Dialect())
			t := b.Table("persons")
			seen := b.Select(t.C("id")).From(t).Where(inSubtree(t.C("residence_path"), v.ScopePath))
			s.Where(sql.In(s.C("person_id"), seen))
		default:
			none(s)
		}
	}
}

// inSubtree is tree.Within as a predicate on column, to combine with others.
func inSubtree(column, p string) *sql.Predicate {
	lo, hi := tree.Bounds(p)
	return sql.And(sql.GTE(column, lo), sql.LT(column, hi))
}

// scanScope is DESIGN §5 "view scans": seniors and intermediates their scope
// subtree, ordinaries their own records, officials their region subtree
// (∩ sector), grid workers their community.
func scanScope(q intercept.Query, v *mashang.Viewer) {
	switch v.Role {
	case mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleGridWorker:
		q.WhereP(tree.Within("site_path", v.ScopePath))
	case mashang.RoleOfficial:
		q.WhereP(tree.Within("site_path", v.ScopePath))
		if v.Sector != "" {
			q.WhereP(sql.FieldEQ("sector", v.Sector))
		}
	case mashang.RoleOrdinary:
		// Own records. The account path is the account's for good (its
		// superior never changes) and leads the (account_path, server_time)
		// index, so "my scans, newest first" is one index range.
		q.WhereP(sql.FieldEQ("account_path", v.AccountPath))
	default:
		q.WhereP(none)
	}
}

// alertsOf is DESIGN §5 "view / handle alerts" as a predicate on the
// alerts table: seniors their scope, officials their region subtree —
// where the alert was raised or where its person lives — (∩ sector), grid
// workers the alerts assigned to them.
// SECURITY: keeps every alert out of reach of the scanners and out of
// every other scope, sector or grid worker.
func alertsOf(v *mashang.Viewer) func(*sql.Selector) {
	return func(s *sql.Selector) {
		switch v.Role {
		case mashang.RoleSenior:
			tree.Within("scope_path", v.ScopePath)(s)
		case mashang.RoleOfficial:
			// Raised in the region, or about a person who lives there
			// (issue 11, point 12; seed 003 §五(五)). An empty residence_path
			// is below every bound, so an unknown residence reaches nobody.
			s.Where(sql.Or(inSubtree(s.C("scope_path"), v.ScopePath), inSubtree(s.C("residence_path"), v.ScopePath)))
			if v.Sector != "" {
				s.Where(sql.Or(sql.IsNull(s.C("sector")), sql.EQ(s.C("sector"), v.Sector)))
			}
		case mashang.RoleGridWorker:
			// Wherever the alert was raised: the grid worker of the
			// person's residence may be the one assigned.
			s.Where(sql.EQ(s.C("assignee_id"), v.AccountID))
		default:
			none(s)
		}
	}
}

// pausesOf selects the alert pauses within the viewer's scope (which an
// official may lift) and above it (which hold its pushes): path in the
// scope's subtree, or the scope in path's subtree (scope >= path AND
// scope < path || '~').
// SECURITY: keeps out the pauses of other subtrees; an empty scope sees none.
func pausesOf(v *mashang.Viewer) func(*sql.Selector) {
	return func(s *sql.Selector) {
		if v.ScopePath == "" {
			none(s)
			return
		}
		path := s.C("path")
		above := sql.And(sql.LTE(path, v.ScopePath),
			sql.P(func(b *sql.Builder) { b.Arg(v.ScopePath).WriteString(" < ").Ident(path).WriteString(" || '~'") }))
		s.Where(sql.Or(inSubtree(path, v.ScopePath), above))
	}
}

// Install adds the scope filter to a client.
func Install(client *ent.Client) { client.Intercept(Filter()) }
