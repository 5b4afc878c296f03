package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/auditevent"
)

// unmaskQuery reads a person's identity with a reason (Person.identity).
const unmaskQuery = `query($id: ID!, $r: String!) { node(id: $id) { ... on Person { nameMasked identity(reason: $r) { name idNumber phone recordedAt reason } } } }`

// An official holding a PII_VIEWER grant must still say why it reads a
// person in clear: an empty or blank reason is INVALID_INPUT, nothing is
// returned in clear and nothing is recorded as read; a reason too long is
// refused without being echoed.
func TestAnOfficialWithAGrantCannotUnmaskWithoutAReason(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		w.srv.QueryAs(w.initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: PII_VIEWER, expiresAt: $e, reason: "核实身份", caseNumber: "案2026-7") { id } }`,
			map[string]any{"a": w.official.ID, "e": time.Now().Add(time.Hour).Format(time.RFC3339)}).Decode(t, &struct{}{})
		token := w.srv.Login("13600000031", "pass-13600000031")
		long := strings.Repeat("赵六的身份证号", 30) // 210 characters
		for _, reason := range []string{"", "  \n\t ", long} {
			resp := w.srv.QueryAs(token, unmaskQuery, map[string]any{"id": w.resident.ID, "r": reason})
			wantCodes(t, resp, "INVALID_INPUT")
			for _, leak := range []string{"19900307", "赵六"} {
				if strings.Contains(string(resp.Data), leak) || strings.Contains(resp.Errors[0].Message, leak) {
					t.Fatalf("the refusal of reason %q holds personal data: %s %+v", reason, resp.Data, resp.Errors)
				}
			}
		}
		n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("unmaskPerson"), auditevent.OutcomeEQ(auditevent.OutcomeSUCCEEDED)).Count(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("%d reads without a reason recorded as SUCCEEDED (%v)", n, err)
		}

		// With a reason: in clear, and the reason (on one line) is in the
		// read's audit event beside the grant's purpose.
		var who struct {
			Node struct {
				NameMasked string
				Identity   struct {
					Name, IDNumber, Reason string
					RecordedAt             time.Time
				}
			}
		}
		before := time.Now().Add(-time.Second)
		w.srv.QueryAs(token, unmaskQuery, map[string]any{"id": w.resident.ID, "r": " 核实密接\n身份 "}).Decode(t, &who)
		id := who.Node.Identity
		if id.Name != "赵六" || id.Reason != "核实密接 身份" || id.RecordedAt.Before(before) {
			t.Fatalf("identity %+v", who.Node)
		}
		e, err := db.Client.AuditEvent.Query().Where(auditevent.Action("unmaskPerson"), auditevent.OutcomeEQ(auditevent.OutcomeSUCCEEDED)).Only(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(e.Detail, `"viewReason":"核实密接 身份"`) || !strings.Contains(e.Detail, "案2026-7") || e.Target != "person:"+w.resident.ID {
			t.Fatalf("audit event %s %s", e.Target, e.Detail)
		}
		if !e.At.Equal(id.RecordedAt) {
			t.Fatalf("recorded at %v, event at %v", id.RecordedAt, e.At)
		}
	})
}

// An official without a PII_VIEWER grant is refused as before, whatever
// reason it gives, and the reason does not come back in the error.
func TestAnOfficialWithoutAGrantCannotUnmaskByGivingAReason(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		resp := w.srv.QueryAs(w.official.token, unmaskQuery, map[string]any{"id": w.resident.ID, "r": "紧急：赵六"})
		wantCodes(t, resp, "FORBIDDEN")
		if strings.Contains(string(resp.Data), "19900307") || strings.Contains(resp.Errors[0].Message, "赵六") {
			t.Fatalf("personal data in the refusal: %s %+v", resp.Data, resp.Errors)
		}
		mustRefusal(t, db, "unmaskPerson", w.official.ID, "FORBIDDEN")
	})
}
