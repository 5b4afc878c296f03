package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// aliased repeats field under n aliases in one mutation.
func aliased(n int, field string) string {
	var b strings.Builder
	b.WriteString("mutation {")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

// TestAnAttackerCannotMultiplyLoginsByAliases: 100 aliased logins with the
// right password in one request are refused whole, before any Argon2id hash
// or session (issue 10 §3).
func TestAnAttackerCannotMultiplyLoginsByAliases(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		srv.LoginInitiator()
		before := db.Client.Session.Query().CountX(t.Context())
		login := fmt.Sprintf(`login(phone: %q, password: %q) { accessToken }`, apitest.InitiatorPhone, apitest.InitiatorPassword)
		resp := srv.Query(aliased(100, login), nil)
		if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_COMPLEX"}) {
			t.Fatalf("100 aliased logins: %+v", resp.Errors)
		}
		if n := db.Client.Session.Query().Where(session.RevokedAtIsNil()).CountX(t.Context()); n != before {
			t.Fatalf("%d sessions opened by a refused request", n-before)
		}
		// Fragments and inline fragments do not hide fields from the count.
		resp = srv.Query(`mutation { ...F ... on Mutation { b: login(phone: "1", password: "x") { accessToken } } }
			fragment F on Mutation { c: login(phone: "1", password: "x") { accessToken } d: login(phone: "1", password: "x") { accessToken }
			e: login(phone: "1", password: "x") { accessToken } f: login(phone: "1", password: "x") { accessToken } g: login(phone: "1", password: "x") { accessToken } }`, nil)
		if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_COMPLEX"}) {
			t.Fatalf("six logins through fragments: %+v", resp.Errors)
		}
		// Up to the limit a request runs as before.
		var ok map[string]struct{ AccessToken string }
		srv.Query(aliased(graph.DefaultMaxMutationFields, login), nil).Decode(t, &ok)
		if len(ok) != graph.DefaultMaxMutationFields {
			t.Fatalf("%d logins at the limit, want %d", len(ok), graph.DefaultMaxMutationFields)
		}
	})
}

// TestAnAnonymousCallerCannotIssueCodesByAliases: 1,000 aliases of
// issueCode (each a signature and a QR image) are refused at once, writing
// nothing.
func TestAnAnonymousCallerCannotIssueCodesByAliases(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		p := registerPerson(t, srv, "居民", validID(t, "22010419900101123"), "")
		field := fmt.Sprintf(`issueCode(input: {personToken: %q, ttlMinutes: 5}) { token }`, p.Token)
		// One code is issued and audited: the count below can move.
		if resp := srv.Query(aliased(1, field), nil); len(resp.Errors) > 0 {
			t.Fatalf("one issueCode: %+v", resp.Errors)
		}
		resp := srv.Query(aliased(1000, field), nil)
		if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_COMPLEX"}) {
			t.Fatalf("1,000 aliased issueCode: %+v", resp.Codes())
		}
		// Refused before any resolver ran: no code was signed (each issued
		// code writes an audit event), rather than a timing that a loaded
		// machine could break.
		if n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("issueCode")).Count(context.Background()); err != nil || n != 1 {
			t.Fatalf("issueCode events after the refusal: %d, %v; want the 1 of the single call", n, err)
		}
		if resp.Errors[0].Extensions["mutations"] != float64(1000) || resp.Errors[0].Extensions["limit"] != float64(graph.DefaultMaxMutationFields) {
			t.Fatalf("extensions %v", resp.Errors[0].Extensions)
		}
	})
}

// TestARegisteredCallerCannotProbeIDNumbersWithoutLimit: a logged-in caller
// (who would learn from CONFLICT which ID numbers are registered) is
// rate-limited too, per account (issue 10 §9).
func TestARegisteredCallerCannotProbeIDNumbersWithoutLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		known := validID(t, "22010419900101123")
		registerPerson(t, srv, "居民", known, "")
		const q = `mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id } } }`
		for i := range graph.DefaultViewerRegistrationsPerHour + 1 {
			resp := srv.QueryAs(initiator, q, map[string]any{"in": map[string]any{"name": "居民", "idNumber": known}})
			want := []string{"CONFLICT"}
			if i == graph.DefaultViewerRegistrationsPerHour {
				want = []string{"RATE_LIMITED"}
			}
			if !slices.Equal(resp.Codes(), want) {
				t.Fatalf("probe %d: %v, want %v", i+1, resp.Codes(), want)
			}
			if i == graph.DefaultViewerRegistrationsPerHour && resp.Errors[0].Extensions["retryAfterSeconds"] == nil {
				t.Fatalf("no retryAfterSeconds: %v", resp.Errors[0].Extensions)
			}
		}
	})
}
