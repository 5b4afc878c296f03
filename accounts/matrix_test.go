package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
)

const (
	ok = ""
	F  = mashang.EFORBIDDEN
	N  = mashang.ENOTFOUND
)

// cell is the expected code for a target inside and outside the actor's
// scope (or branch of the account tree).
type cell struct{ in, out string }

// matrixTargets are the targets each actor is tried on.
type matrixTargets struct {
	replaceIn, replaceOut   string // also used for disable
	activateIn, activateOut string // set DISABLED before the call
}

// TestAccountMatrix tries every role on every action, on a target inside and
// outside its scope (DESIGN.md §5; seed 001 §6, §10). Creation is tried on
// site A (inside every non-initiator's scope) and site B (outside); the
// initiator's scope is the whole province, so both are inside for it. Each
// case runs in a transaction rolled back afterwards (so the service runs in
// the caller's transaction, as a GraphQL mutation does), with the scope
// filter installed. A refused case must leave every table as it was; an
// accepted one must enqueue the SMS of its status change.
func TestAccountMatrix(t *testing.T) {
	targets := map[string]matrixTargets{
		"INI":   {"INT_A", "ORD_B", "SEN_A", "ORD_B"},
		"SEN_A": {"ORD_A", "ORD_B", "INT_A", "ORD_B"},
		"INT_A": {"ORD_A", "ORD_B", "ORD_A", "ORD_B"},
		"ORD_A": {"ORD_A2", "ORD_B", "ORD_A2", "ORD_B"},
		"OFF":   {"ORD_A", "ORD_B", "ORD_A", "ORD_B"},
		"GRID":  {"ORD_A", "ORD_B", "ORD_A", "ORD_B"},
	}
	matrix := accountMatrix()
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		pool := f.user("pool holder")
		poolHolder := accounts.Holder{Name: pool.Name, Phone: f.phoneOf(pool), Password: newPassword}
		for _, actorName := range []string{"INI", "SEN_A", "INT_A", "ORD_A", "OFF", "GRID"} {
			actor := f.get(actorName)
			tg := targets[actorName]
			for action, want := range matrix[actorName] {
				for _, side := range []string{"in", "out"} {
					expect := want.in
					if side == "out" {
						expect = want.out
					}
					name := fmt.Sprintf("%s/%s/%s", actorName, strings.ReplaceAll(action, " ", "_"), side)
					t.Run(name, func(t *testing.T) {
						tx, err := db.Client.Tx(context.Background())
						if err != nil {
							t.Fatal(err)
						}
						defer tx.Rollback()
						c := tx.Client()
						ctx := ent.NewTxContext(asAccount(actor), tx)

						var target *ent.Account
						pick := func(in, out string) {
							if side == "in" {
								target = f.acct[in]
							} else {
								target = f.acct[out]
							}
						}
						switch action {
						case "replace", "disable":
							pick(tg.replaceIn, tg.replaceOut)
						case "activate":
							pick(tg.activateIn, tg.activateOut)
							if err := c.Account.UpdateOneID(target.ID).SetStatus(account.StatusDISABLED).
								SetDisabledReason(account.DisabledReasonMANUAL).Exec(context.Background()); err != nil {
								t.Fatal(err)
							}
						}
						before := takeSnapshot(t, c)

						var got *ent.Account
						switch {
						case strings.HasPrefix(action, "create "):
							site := f.siteA
							if side == "out" {
								site = f.siteB
							}
							got, err = f.svc.Create(ctx, accounts.CreateInput{Role: strings.TrimPrefix(action, "create "), ScopeSiteID: site.ID, Holder: poolHolder})
						case action == "replace":
							got, err = f.svc.Replace(ctx, target.ID, poolHolder, "matrix")
						case action == "disable":
							got, _, err = f.svc.Disable(ctx, target.ID, false)
						case action == "activate":
							got, _, err = f.svc.Activate(ctx, target.ID, false)
						}
						wantCode(t, err, expect)
						after := takeSnapshot(t, c)
						if expect != ok {
							if before != after {
								t.Fatalf("refused call wrote:\nbefore %+v\nafter  %+v", before, after)
							}
							if msg := err.Error(); expect == F && !strings.Contains(msg, "policy") && !strings.Contains(msg, "seed 001") {
								t.Errorf("FORBIDDEN should name the rule that refused it: %v", err)
							}
							return
						}
						wantSMS := 1
						switch action {
						case "replace":
							wantSMS = 2 // the new holder and the old
							if got.ID != target.ID || got.AccountPath != target.AccountPath || got.HolderID != pool.ID {
								t.Fatalf("replace gave %+v", got)
							}
						case "disable":
							if got.Status != account.StatusDISABLED || *got.DisabledReason != account.DisabledReasonMANUAL || *got.DisabledByID != actor.ID {
								t.Fatalf("disable gave %+v", got)
							}
						case "activate":
							if got.Status != account.StatusACTIVE || got.DisabledReason != nil {
								t.Fatalf("activate gave %+v", got)
							}
						default:
							if *got.SuperiorID != actor.ID || got.AccountPath != fmt.Sprintf("%sa%d/", actor.AccountPath, got.ID) ||
								got.ScopePath != f.siteA.Path && got.ScopePath != f.siteB.Path || got.HolderID != pool.ID {
								t.Fatalf("created %+v under %+v", got, actor)
							}
							if derefInt(got.UnitID) != derefInt(actor.UnitID) && got.Role != account.RoleOFFICIAL && got.Role != account.RoleGRID_WORKER {
								t.Fatalf("unit %v, want the superior's %v", derefInt(got.UnitID), derefInt(actor.UnitID))
							}
						}
						if after.outbox-before.outbox != wantSMS {
							t.Fatalf("%d SMS enqueued, want %d", after.outbox-before.outbox, wantSMS)
						}
					})
				}
			}
		}
	})
}

// matrixRoles are the roles of the matrix's actors.
var matrixRoles = map[string]string{
	"INI": mashang.RoleInitiator, "SEN_A": mashang.RoleSenior, "INT_A": mashang.RoleIntermediate,
	"ORD_A": mashang.RoleOrdinary, "OFF": mashang.RoleOfficial, "GRID": mashang.RoleGridWorker,
}

// accountMatrix is what each actor gets for each action on a target inside
// and outside its scope (TestAccountMatrix tries every cell on the service).
func accountMatrix() map[string]map[string]cell {
	roles := []string{mashang.RoleInitiator, mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary, mashang.RoleOfficial, mashang.RoleGridWorker}
	allF := map[string]cell{}
	for _, r := range roles {
		allF["create "+r] = cell{F, F}
	}
	allF["replace"], allF["disable"], allF["activate"] = cell{F, F}, cell{F, F}, cell{F, F}
	return map[string]map[string]cell{
		"INI": {
			"create INITIATOR": {F, F}, "create SENIOR": {F, F},
			"create INTERMEDIATE": {ok, ok}, "create ORDINARY": {ok, ok}, "create OFFICIAL": {ok, ok}, "create GRID_WORKER": {ok, ok},
			// Only the direct superior activates: ORD_B's superior is INT_B.
			"replace": {ok, ok}, "disable": {ok, ok}, "activate": {ok, F},
		},
		"SEN_A": {
			"create INITIATOR": {F, F}, "create SENIOR": {F, F},
			"create INTERMEDIATE": {ok, N}, "create ORDINARY": {ok, N}, "create OFFICIAL": {F, F}, "create GRID_WORKER": {F, F},
			"replace": {ok, N}, "disable": {ok, N}, "activate": {ok, N},
		},
		"INT_A": {
			"create INITIATOR": {F, F}, "create SENIOR": {F, F},
			"create INTERMEDIATE": {F, F}, "create ORDINARY": {ok, N}, "create OFFICIAL": {F, F}, "create GRID_WORKER": {F, F},
			"replace": {ok, N}, "disable": {ok, N}, "activate": {ok, N},
		},
		"ORD_A": allF,
		"OFF":   allF,
		"GRID":  allF,
	}
}

// TestListedAccountPermissionsMatchTheMatrix checks viewer.permissions
// (authz.ViewerPermissions) against what the service does (accountMatrix,
// which TestAccountMatrix checks on the service): a role is shown an account
// action exactly when the service allows it on some target, and a refusal on
// a target within the listed reach is explained by the listed condition.
func TestListedAccountPermissionsMatchTheMatrix(t *testing.T) {
	enf := authz.MustEnforcer()
	for actor, row := range accountMatrix() {
		v := &mashang.Viewer{Role: matrixRoles[actor], ScopePath: "/22/"}
		perms := enf.ViewerPermissions(v, time.Now())
		for action, want := range row {
			verb, role, _ := strings.Cut(action, " ")
			var listed []authz.Permission
			for _, p := range perms {
				obj := authz.ObjAccount
				switch {
				case verb == authz.ActCreate:
					obj = authz.AccountObject(role)
				case verb == authz.ActReplace && strings.HasPrefix(p.Object, authz.ObjAccount+":"):
					obj = p.Object
				}
				if p.Object == obj && p.Action == verb {
					listed = append(listed, p)
				}
			}
			allowed := want.in == ok || want.out == ok
			if allowed != (len(listed) > 0) {
				t.Errorf("%s %s: the service allows it: %v; listed: %v", matrixRoles[actor], action, allowed, listed)
				continue
			}
			for _, p := range listed {
				if p.Reach == "any" && want.out == F && p.Condition == "" {
					t.Errorf("%s %s is listed for any target without a condition, but the service refuses one (%+v)", matrixRoles[actor], action, p)
				}
				if wantCond := map[string]string{"replace": authz.CondDerived, "disable": authz.CondDerived, "activate": authz.CondSubordinate}[verb]; p.Condition != wantCond {
					t.Errorf("%s %s listed with condition %q, want %q", matrixRoles[actor], action, p.Condition, wantCond)
				}
			}
		}
	}
}
