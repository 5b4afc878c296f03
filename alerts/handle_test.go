package alerts_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/alertstep"
	"github.com/mashang/mashang/scenario"
)

// asRequest is the context of an API request by v: the scope filter is on
// (authz installed on the client), as it is when a resolver calls Handle.
func asRequest(v *mashang.Viewer) context.Context {
	return authz.WithRequest(mashang.NewContextWithViewer(context.Background(), v))
}

func TestHandleWorkflow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health := scenario.SectorHealth
		x := f.raise(scanRaise(siteA, &health))
		sub, cancel := f.broker.Subscribe()
		defer cancel()

		handle := func(by *ent.Account, id int, action string, assignee *ent.Account, note string) (*ent.Alert, error) {
			var aid *int
			if assignee != nil {
				aid = &assignee.ID
			}
			v := viewerOf(by)
			return f.svc.Handle(asRequest(v), v, id, action, aid, note)
		}
		fail := func(t *testing.T, code, field string, by *ent.Account, action string, assignee *ent.Account, note string) {
			t.Helper()
			_, err := handle(by, x.ID, action, assignee, note)
			wantCode(t, err, code, field)
		}
		status := func(want alert.Status) *ent.Alert {
			t.Helper()
			a := db.Client.Alert.GetX(f.ctx, x.ID)
			if a.Status != want {
				t.Fatalf("status %s, want %s", a.Status, want)
			}
			return a
		}

		t.Run("AssignAsWrongActor", func(t *testing.T) {
			disabled := viewerOf(f.initiator)
			disabled.Disabled = true
			noScope := viewerOf(f.official)
			noScope.ScopePath = ""
			for _, tc := range []struct {
				name string
				v    *mashang.Viewer
				code string
			}{
				{"as an INTERMEDIATE scanner of the site", viewerOf(f.intermediate), mashang.EFORBIDDEN},
				{"as an ORDINARY scanner of the site", viewerOf(f.ordinary), mashang.EFORBIDDEN},
				{"as the community's GRID_WORKER", viewerOf(f.gridA), mashang.EFORBIDDEN},
				{"as a SENIOR of another city", viewerOf(f.seniorOther), mashang.ENOTFOUND},
				{"as an OFFICIAL of the city for another sector", viewerOf(f.officialEdu), mashang.ENOTFOUND},
				{"as an OFFICIAL whose scope is empty", noScope, mashang.ENOTFOUND},
				{"as an INITIATOR whose account is disabled", disabled, mashang.EACCOUNTDISABLED},
				{"anonymously", nil, mashang.EUNAUTHENTICATED},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := f.svc.Handle(asRequest(tc.v), tc.v, x.ID, alerts.ActionAssign, &f.gridA.ID, "")
					wantCode(t, err, tc.code, "")
				})
			}
			status(alert.StatusOPEN)
		})

		t.Run("AssignToWrongAccount", func(t *testing.T) {
			fail(t, mashang.EINVALID, "assigneeId", f.senior, alerts.ActionAssign, nil, "")
			fail(t, mashang.EINVALID, "assigneeId", f.senior, alerts.ActionAssign, &ent.Account{ID: 987654321}, "")
			fail(t, mashang.EINVALID, "assigneeId", f.senior, alerts.ActionAssign, f.notGW, "")
			fail(t, mashang.EINVALID, "assigneeId", f.senior, alerts.ActionAssign, f.senior, "")
			fail(t, mashang.EINVALID, "assigneeId", f.senior, alerts.ActionAssign, f.gridB, "")
			fail(t, mashang.EINVALID, "assigneeId", f.senior, alerts.ActionAssign, f.gridDisabled, "")
			status(alert.StatusOPEN)
		})

		t.Run("OutOfOrder", func(t *testing.T) {
			// Nobody is assigned yet: no grid worker may record a visit.
			fail(t, mashang.ENOTFOUND, "", f.gridA, alerts.ActionVisit, nil, "上门核实: 体温正常")
			fail(t, mashang.ECONFLICT, "", f.senior, alerts.ActionClose, nil, "")
			fail(t, mashang.EINVALID, "action", f.senior, "DELETE", nil, "")
			_, err := handle(f.senior, 123456789, alerts.ActionAssign, f.gridA, "")
			wantCode(t, err, mashang.ENOTFOUND, "")
			status(alert.StatusOPEN)
		})
		empty(t, sub)

		// The senior of the district assigns the alert to community A's grid
		// worker, through a filtered request context that sees neither the
		// grid worker's account nor the pauses.
		a, err := handle(f.senior, x.ID, alerts.ActionAssign, f.gridA, "请尽快上门")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != alert.StatusASSIGNED || a.AssigneeID == nil || *a.AssigneeID != f.gridA.ID ||
			a.AssigneePath == nil || *a.AssigneePath != f.gridA.AccountPath || !a.UpdatedAt.Equal(now.Truncate(1000)) {
			t.Fatalf("after ASSIGN: %+v", a)
		}
		m := receive(t, sub)
		if want := (alerts.Message{AlertID: x.ID, ScopePath: siteA, Sector: "HEALTH", AssigneeID: f.gridA.ID}); m != want {
			t.Fatalf("pushed %+v, want %+v", m, want)
		}
		if !f.svc.Visible(viewerOf(f.gridA), communA, m) || f.svc.Visible(viewerOf(f.gridA2), communA, m) {
			t.Fatal("the ASSIGN push must reach the assigned grid worker and no other")
		}

		// Re-assignment by an official of the alert's sector.
		if _, err := handle(f.officialHealth, x.ID, alerts.ActionAssign, f.gridA2, ""); err != nil {
			t.Fatal(err)
		}
		if m := receive(t, sub); m.AssigneeID != f.gridA2.ID {
			t.Fatalf("re-assign pushed %+v", m)
		}
		t.Run("VisitAsWrongGridWorker", func(t *testing.T) {
			fail(t, mashang.ENOTFOUND, "", f.gridA, alerts.ActionVisit, nil, "上门核实")
			fail(t, mashang.ENOTFOUND, "", f.gridB, alerts.ActionVisit, nil, "上门核实")
			fail(t, mashang.EFORBIDDEN, "", f.senior, alerts.ActionVisit, nil, "上门核实")
			fail(t, mashang.EFORBIDDEN, "", f.initiator, alerts.ActionVisit, nil, "上门核实")
		})
		if _, err := handle(f.senior, x.ID, alerts.ActionAssign, f.gridA, ""); err != nil {
			t.Fatal(err)
		}
		receive(t, sub)

		t.Run("CloseBeforeVisit", func(t *testing.T) {
			fail(t, mashang.ECONFLICT, "", f.senior, alerts.ActionClose, nil, "")
		})
		t.Run("VisitWithoutNote", func(t *testing.T) {
			fail(t, mashang.EINVALID, "note", f.gridA, alerts.ActionVisit, nil, "  ")
		})
		status(alert.StatusASSIGNED)

		const found = "上门核实: 体温36.6, 无症状, 已告知居家观察"
		a, err = handle(f.gridA, x.ID, alerts.ActionVisit, nil, found)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != alert.StatusVISITED || a.Note != found || *a.AssigneeID != f.gridA.ID {
			t.Fatalf("after VISIT: %+v", a)
		}
		empty(t, sub) // only assignments are pushed

		t.Run("AfterVisit", func(t *testing.T) {
			fail(t, mashang.ECONFLICT, "", f.gridA, alerts.ActionVisit, nil, "again")
			fail(t, mashang.ECONFLICT, "", f.senior, alerts.ActionAssign, f.gridA, "")
			fail(t, mashang.EFORBIDDEN, "", f.gridA, alerts.ActionClose, nil, "")
			fail(t, mashang.ENOTFOUND, "", f.seniorOther, alerts.ActionClose, nil, "")
			fail(t, mashang.ENOTFOUND, "", f.officialEdu, alerts.ActionClose, nil, "")
			fail(t, mashang.EFORBIDDEN, "", f.ordinary, alerts.ActionClose, nil, "")
		})

		a, err = handle(f.senior, x.ID, alerts.ActionClose, nil, "情况属实已落实隔离")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != alert.StatusCLOSED || a.Note != found+"\n情况属实已落实隔离" {
			t.Fatalf("after CLOSE: %+v", a)
		}
		t.Run("AfterClose", func(t *testing.T) {
			fail(t, mashang.ECONFLICT, "", f.senior, alerts.ActionClose, nil, "")
			fail(t, mashang.ECONFLICT, "", f.initiator, alerts.ActionAssign, f.gridA, "")
			fail(t, mashang.ECONFLICT, "", f.gridA, alerts.ActionVisit, nil, "x")
		})

		// Every step, and only the steps that happened, is on record.
		steps := db.Client.AlertStep.Query().Where(alertstep.AlertID(x.ID)).Order(ent.Asc(alertstep.FieldID)).AllX(f.ctx)
		type row struct {
			from, to     string
			by, assignee int
			note         string
		}
		want := []row{
			{"OPEN", "ASSIGNED", f.senior.ID, f.gridA.ID, "请尽快上门"},
			{"ASSIGNED", "ASSIGNED", f.officialHealth.ID, f.gridA2.ID, ""},
			{"ASSIGNED", "ASSIGNED", f.senior.ID, f.gridA.ID, ""},
			{"ASSIGNED", "VISITED", f.gridA.ID, f.gridA.ID, found},
			{"VISITED", "CLOSED", f.senior.ID, 0, "情况属实已落实隔离"},
		}
		if len(steps) != len(want) {
			t.Fatalf("%d steps recorded, want %d: %+v", len(steps), len(want), steps)
		}
		for i, s := range steps {
			got := row{s.FromStatus.String(), s.ToStatus.String(), s.ByAccountID, 0, s.Note}
			if s.AssigneeID != nil {
				got.assignee = *s.AssigneeID
			}
			if got != want[i] || !s.At.Equal(now.Truncate(1000)) {
				t.Fatalf("step %d = %+v at %v, want %+v", i, got, s.At, want[i])
			}
		}
	})
}

// Who may assign, across roles, scopes and sectors (DESIGN §5 "view /
// handle alerts"), each on an alert of its own.
func TestHandleAssignMatrix(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		health, edu := scenario.SectorHealth, scenario.SectorEducation
		for _, tc := range []struct {
			name   string
			by     *ent.Account
			scope  string
			sector *scenario.Sector
			code   string // "" = allowed
		}{
			{"as the INITIATOR", f.initiator, siteB, &edu, ""},
			{"as the SENIOR of the district", f.senior, siteA, &health, ""},
			{"as the SENIOR of the district, for a person's residence", f.senior, communA, nil, ""},
			{"as a SENIOR of another city", f.seniorOther, siteA, nil, mashang.ENOTFOUND},
			{"as an OFFICIAL of the city", f.official, siteA, &edu, ""},
			{"as an OFFICIAL of the city for the alert's sector", f.officialHealth, siteA, &health, ""},
			{"as an OFFICIAL of the city for another sector", f.officialEdu, siteA, &health, mashang.ENOTFOUND},
			{"as an OFFICIAL of a sector, for an alert of no sector", f.officialEdu, communA, nil, ""},
			{"as an INTERMEDIATE scanner", f.intermediate, siteA, nil, mashang.EFORBIDDEN},
			{"as an ORDINARY scanner", f.ordinary, siteA, nil, mashang.EFORBIDDEN},
			{"as a GRID_WORKER", f.gridA, siteA, nil, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := f.raise(scanRaise(tc.scope, tc.sector))
				grid := f.gridA
				if strings.HasPrefix(tc.scope, communB) {
					grid = f.gridB
				}
				v := viewerOf(tc.by)
				got, err := f.svc.Handle(f.ctx, v, a.ID, alerts.ActionAssign, &grid.ID, "")
				if tc.code != "" {
					wantCode(t, err, tc.code, "")
					if db.Client.AlertStep.Query().Where(alertstep.AlertID(a.ID)).CountX(f.ctx) != 0 {
						t.Fatal("a refused step was recorded")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != alert.StatusASSIGNED || *got.AssigneeID != grid.ID {
					t.Fatalf("got %+v", got)
				}
				// Whoever may assign may close, after the visit.
				if _, err := f.svc.Handle(f.ctx, viewerOf(grid), a.ID, alerts.ActionVisit, nil, "上门核实"); err != nil {
					t.Fatal(err)
				}
				if _, err := f.svc.Handle(f.ctx, v, a.ID, alerts.ActionClose, nil, ""); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// In the caller's transaction, the push waits for its commit.
func TestHandleInCallersTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		sub, cancel := f.broker.Subscribe()
		defer cancel()
		v := viewerOf(f.senior)

		for _, commit := range []bool{false, true} {
			x := f.raise(scanRaise(siteA, nil))
			tx, err := db.Client.Tx(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			ctx := ent.NewTxContext(f.ctx, tx)
			if _, err := f.svc.Handle(ctx, v, x.ID, alerts.ActionAssign, &f.gridA.ID, ""); err != nil {
				t.Fatal(err)
			}
			empty(t, sub)
			if !commit {
				if err := tx.Rollback(); err != nil {
					t.Fatal(err)
				}
				empty(t, sub)
				if a := db.Client.Alert.GetX(f.ctx, x.ID); a.Status != alert.StatusOPEN {
					t.Fatalf("status %s after rollback", a.Status)
				}
				continue
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if m := receive(t, sub); m.AlertID != x.ID || m.AssigneeID != f.gridA.ID {
				t.Fatalf("pushed %+v", m)
			}
			if a := db.Client.Alert.GetX(f.ctx, x.ID); a.Status != alert.StatusASSIGNED {
				t.Fatalf("status %s after commit", a.Status)
			}
		}
	})
}

// TestHandleNoteLimits: notes are limited in characters (issue 10 #14),
// so a Chinese note may be as long as an English one.
func TestHandleNoteLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		x := f.raise(scanRaise(siteA, nil))
		if _, err := f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionAssign, &f.gridA.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Handle(f.ctx, viewerOf(f.gridA), x.ID, alerts.ActionVisit, nil, strings.Repeat("核", 1001))
		wantCode(t, err, mashang.EINVALID, "note")
		visit := strings.Repeat("核", 900) // 900 characters, 2,700 bytes: within the limit
		if _, err := f.svc.Handle(f.ctx, viewerOf(f.gridA), x.ID, alerts.ActionVisit, nil, visit); err != nil {
			t.Fatal(err)
		}
		// 900 + "\n" + 100 characters would not fit the alert's notes.
		_, err = f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionClose, nil, strings.Repeat("闭", 100))
		wantCode(t, err, mashang.EINVALID, "note")
		a, err := f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionClose, nil, strings.Repeat("闭", 99))
		if err != nil {
			t.Fatal(err)
		}
		if n := utf8.RuneCountInString(a.Note); n != 1000 {
			t.Fatalf("notes of %d characters, want 1000", n)
		}
	})
}

// A step decided on a status that changed meanwhile is refused, not
// applied over the other change. SQLite serialises writers (every
// transaction takes the write lock at BEGIN), so the race exists on
// PostgreSQL only: there the other change lands between Handle's read and
// its update (the clock is read in between).
func TestHandleConcurrentChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		if db.Dialect != dialect.Postgres {
			t.Skip("writers are serialised on SQLite")
		}
		f := newFixture(t, db)
		x := f.raise(scanRaise(siteA, nil))
		if _, err := f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionAssign, &f.gridA.ID, ""); err != nil {
			t.Fatal(err)
		}
		interfere := true
		f.svc.Now = func() time.Time {
			if interfere {
				interfere = false
				// Another official re-assigns it meanwhile.
				db.Client.Alert.UpdateOneID(x.ID).SetAssigneeID(f.gridA2.ID).ExecX(context.Background())
			}
			return now
		}
		_, err := f.svc.Handle(f.ctx, viewerOf(f.gridA), x.ID, alerts.ActionVisit, nil, "上门核实")
		wantCode(t, err, mashang.ECONFLICT, "")
		a := db.Client.Alert.GetX(f.ctx, x.ID)
		if a.Status != alert.StatusASSIGNED || *a.AssigneeID != f.gridA2.ID {
			t.Fatalf("after the refused visit: %+v", a)
		}
		if n := db.Client.AlertStep.Query().Where(alertstep.AlertID(x.ID)).CountX(f.ctx); n != 1 {
			t.Fatalf("%d steps, want only the assignment", n)
		}

		interfere = true
		f.svc.Now = func() time.Time {
			if interfere {
				interfere = false
				db.Client.Alert.UpdateOneID(x.ID).SetStatus(alert.StatusCLOSED).ExecX(context.Background())
			}
			return now
		}
		_, err = f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionAssign, &f.gridA.ID, "")
		wantCode(t, err, mashang.ECONFLICT, "")
		if a := db.Client.Alert.GetX(f.ctx, x.ID); a.Status != alert.StatusCLOSED || *a.AssigneeID != f.gridA2.ID {
			t.Fatalf("after the refused re-assignment: %+v", a)
		}
	})
}
