package graph_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
)

// refusals returns the REFUSED events of action, oldest first.
func refusals(t *testing.T, db *database.DB, action string) []*ent.AuditEvent {
	t.Helper()
	all, err := db.Client.AuditEvent.Query().
		Where(auditevent.Action(action), auditevent.OutcomeEQ(auditevent.OutcomeREFUSED)).
		Order(ent.Asc(auditevent.FieldSeq)).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// mustRefusal checks that exactly one refused attempt at action by the
// account was audited, with the code, and returns it.
func mustRefusal(t *testing.T, db *database.DB, action, accountID, code string) *ent.AuditEvent {
	t.Helper()
	got := refusals(t, db, action)
	if len(got) != 1 {
		t.Fatalf("%d refused %s events, want 1", len(got), action)
	}
	e := got[0]
	if e.AccountID == nil || strconv.Itoa(*e.AccountID) != accountID || e.ErrorCode != code || e.Seq == nil {
		t.Fatalf("refused %s audited as %+v; want account %s, code %s, chained", action, e, accountID, code)
	}
	return e
}

// mustVerify checks the chain holds the refusals like every other event.
func mustVerify(t *testing.T, db *database.DB) {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db.Client)
	if err != nil || !rep.OK || rep.Unchained != 0 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

// An official without a PII_VIEWER grant asks for a resident's identity:
// refused, and the attempt is in the audit log (never the values).
func TestARefusedUnmaskIsAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		q := `query($id: ID!) { node(id: $id) { ... on Person { nameMasked identity(reason: "核实身份") { name idNumber phone } } } }`
		wantCodes(t, w.srv.QueryAs(w.official.token, q, map[string]any{"id": w.resident.ID}), "FORBIDDEN")
		e := mustRefusal(t, db, "unmaskPerson", w.official.ID, "FORBIDDEN")
		if e.Target != "person:"+w.resident.ID {
			t.Fatalf("target %q, want the person", e.Target)
		}
		for _, leak := range []string{"19900307", "赵六"} {
			if strings.Contains(e.Detail+e.Target, leak) {
				t.Fatalf("the refusal event holds personal data: %s %s", e.Target, e.Detail)
			}
		}
		n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("unmaskPerson"), auditevent.OutcomeEQ(auditevent.OutcomeSUCCEEDED)).Count(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("%d unmasking events marked SUCCEEDED (%v)", n, err)
		}
		mustVerify(t, db)

		// The province reads the attempt, with its outcome, through the API.
		var log struct {
			AuditEvents struct {
				Edges []struct {
					Node struct{ Action, Target, Outcome, ErrorCode, AccountID string }
				}
			}
		}
		w.srv.QueryAs(w.initiator, `{ auditEvents(first: 10, outcome: REFUSED) { edges { node { action target outcome errorCode accountId } } } }`, nil).Decode(t, &log)
		if len(log.AuditEvents.Edges) != 1 {
			t.Fatalf("refused events through the API: %+v", log)
		}
		if n := log.AuditEvents.Edges[0].Node; n.Action != "unmaskPerson" || n.Outcome != "REFUSED" || n.ErrorCode != "FORBIDDEN" || n.AccountID != w.official.ID {
			t.Fatalf("refused event through the API: %+v", n)
		}
	})
}

// A grid worker without a TRACER grant tries to trace a resident.
func TestARefusedTraceIsAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		vars := map[string]any{"p": w.resident.ID, "from": time.Now().Add(-time.Hour).Format(time.RFC3339), "to": time.Now().Format(time.RFC3339)}
		wantCodes(t, w.srv.QueryAs(w.grid.token, `query($p: ID!, $from: Time!, $to: Time!) { personTrajectory(person: $p, from: $from, to: $to) { csv } }`, vars), "FORBIDDEN")
		wantCodes(t, w.srv.QueryAs(w.grid.token, `query($p: ID!, $from: Time!, $to: Time!) { coLocated(person: $p, from: $from, to: $to) { csv } }`, vars), "FORBIDDEN")
		for _, action := range []string{"personTrajectory", "coLocated"} {
			e := mustRefusal(t, db, action, w.grid.ID, "FORBIDDEN")
			if !strings.Contains(e.Detail, `"person":"`+w.resident.ID+`"`) || !strings.Contains(e.Detail, `"from"`) {
				t.Fatalf("%s refusal detail %s: want the person's id and the argument names", action, e.Detail)
			}
		}
		mustVerify(t, db)
	})
}

// An official tries to give and revoke grants (the province's alone), to
// change the risk of another region's resident, and to disable and
// activate an account outside its scope. Each mutation's transaction rolls
// back; the refusal is written after it, in a transaction of its own.
func TestRefusedSensitiveMutationsAreAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		exp := time.Now().Add(time.Hour).Format(time.RFC3339)
		give := `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: PII_VIEWER, expiresAt: $e, reason: "查看病例", caseNumber: "案2026-1") { id } }`
		wantCodes(t, w.srv.QueryAs(w.official.token, give, map[string]any{"a": w.official.ID, "e": exp}), "FORBIDDEN")
		var g struct{ GiveGrant struct{ ID string } }
		w.srv.QueryAs(w.initiator, give, map[string]any{"a": w.official.ID, "e": exp}).Decode(t, &g)
		revoke := `mutation($id: ID!) { revokeGrant(id: $id) { id } }`
		wantCodes(t, w.srv.QueryAs(w.outsider.token, revoke, map[string]any{"id": g.GiveGrant.ID}), "FORBIDDEN")
		set := `mutation($p: ID!) { setRisk(input: {person: $p, risk: CONFIRMED}) { colour } }`
		wantCodes(t, w.srv.QueryAs(w.outsider.token, set, map[string]any{"p": w.resident.ID}), "FORBIDDEN")
		disable := `mutation($id: ID!) { disableAccount(id: $id) { account { id } } }`
		activate := `mutation($id: ID!) { activateAccount(id: $id) { account { id } } }`
		disableCode := w.srv.QueryAs(w.outsider.token, disable, map[string]any{"id": w.grid.ID}).Codes()
		activateCode := w.srv.QueryAs(w.outsider.token, activate, map[string]any{"id": w.grid.ID}).Codes()
		if len(disableCode) != 1 || len(activateCode) != 1 {
			t.Fatalf("disable %v, activate %v: want one refusal each", disableCode, activateCode)
		}

		mustRefusal(t, db, "giveGrant", w.official.ID, "FORBIDDEN")
		mustRefusal(t, db, "revokeGrant", w.outsider.ID, "FORBIDDEN")
		mustRefusal(t, db, "setRisk", w.outsider.ID, "FORBIDDEN")
		mustRefusal(t, db, "disableAccount", w.outsider.ID, disableCode[0])
		mustRefusal(t, db, "activateAccount", w.outsider.ID, activateCode[0])
		// The refused mutations wrote nothing else: only the province's
		// giveGrant succeeded.
		for _, action := range []string{"giveGrant", "revokeGrant", "setRisk", "disableAccount", "activateAccount"} {
			n, err := db.Client.AuditEvent.Query().Where(auditevent.Action(action), auditevent.OutcomeEQ(auditevent.OutcomeSUCCEEDED)).Count(context.Background())
			want := 0
			if action == "giveGrant" {
				want = 1
			}
			if err != nil || n != want {
				t.Fatalf("%d %s events SUCCEEDED, want %d (%v)", n, action, want, err)
			}
		}
		if e := refusals(t, db, "setRisk")[0]; strings.Contains(e.Detail, "CONFIRMED") {
			t.Fatalf("the refusal holds an argument's value: %s", e.Detail)
		}
		mustVerify(t, db)
	})
}

// Refusals of other fields, and of callers who are not logged in, are not
// audited: the log shows insiders' attempts at sensitive actions.
func TestOnlySensitiveRefusalsOfLoggedInCallersAreAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		set := `mutation($p: ID!) { setRisk(input: {person: $p, risk: CONFIRMED}) { colour } }`
		wantCodes(t, w.srv.Query(set, map[string]any{"p": w.resident.ID}), "UNAUTHENTICATED")
		before, err := db.Client.AuditEvent.Query().Where(auditevent.OutcomeEQ(auditevent.OutcomeREFUSED)).Count(context.Background())
		if err != nil || before != 0 {
			t.Fatalf("%d refusals audited (%v)", before, err)
		}
	})
}
