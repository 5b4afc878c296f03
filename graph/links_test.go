package graph_test

import (
	"strconv"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/apitest"
)

// linkedWorld is a healthWorld where the scanner has scanned the resident
// with a fever: a scan, a colour change to YELLOW, an alert, and a
// declaration of the resident.
type linkedWorld struct {
	*healthWorld
	scanID string
}

func newLinkedWorld(t *testing.T, db *database.DB) *linkedWorld {
	t.Helper()
	w := &linkedWorld{healthWorld: newHealthWorld(t, db)}
	s, resp := recordScan(t, w.srv, w.scanner.token, map[string]any{"clientId": "link-1", "site": w.park, "method": "SCAN_CODE",
		"token": issueCode(t, w.srv, w.resident.Token), "temperature": 37.8, "latitude": 43.8601, "longitude": 125.3101})
	if len(resp.Errors) > 0 || s.ID == "" {
		t.Fatalf("recordScan: %+v", resp.Errors)
	}
	w.scanID = s.ID
	w.srv.Query(`mutation($in: DeclareHealthInput!) { declareHealth(input: $in) { day } }`,
		map[string]any{"in": map[string]any{"personToken": w.resident.Token, "temperature": 37.8}}).Decode(t, &struct{}{})
	return w
}

type idRole struct{ ID, Role string }

// scanLinks reads a scan's links as the holder of tok.
func scanLinks(t *testing.T, srv *apitest.Server, tok, scanID string) (site, account, person *idRole) {
	t.Helper()
	var out struct {
		Node struct{ Site, Account, Person *idRole }
	}
	srv.QueryAs(tok, `query($id: ID!) { node(id: $id) { ... on Scan { site { id } account { id role } person { id } } } }`,
		map[string]any{"id": scanID}).Decode(t, &out)
	return out.Node.Site, out.Node.Account, out.Node.Person
}

// TestLinksAreScoped: a scan's and an alert's links follow the scope
// filter; a linked object the caller may not see is null, not an error.
func TestLinksAreScoped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newLinkedWorld(t, db)
		t.Run("AsTheInitiator", func(t *testing.T) {
			site, acct, person := scanLinks(t, w.srv, w.initiator, w.scanID)
			if site == nil || site.ID != w.park || acct == nil || acct.ID != w.scanner.ID || acct.Role != "ORDINARY" || person == nil || person.ID != w.resident.ID {
				t.Fatalf("site %+v account %+v person %+v", site, acct, person)
			}
		})
		t.Run("AsTheScanner", func(t *testing.T) {
			// Scanners see their own account and site, never a person.
			site, acct, person := scanLinks(t, w.srv, w.scanner.token, w.scanID)
			if site == nil || acct == nil || acct.ID != w.scanner.ID || person != nil {
				t.Fatalf("site %+v account %+v person %+v", site, acct, person)
			}
		})
		t.Run("AsTheDistrictOfficial", func(t *testing.T) {
			// The official sees the site and the resident but not the
			// scanner account, which is outside the official's account tree.
			site, acct, person := scanLinks(t, w.srv, w.official.token, w.scanID)
			if site == nil || acct != nil || person == nil || person.ID != w.resident.ID {
				t.Fatalf("site %+v account %+v person %+v", site, acct, person)
			}
		})
		t.Run("AsAnOfficialOfAnotherCity", func(t *testing.T) {
			resp := w.srv.QueryAs(w.outsider.token, `query($id: ID!) { node(id: $id) { ... on Scan { site { id } } } }`, map[string]any{"id": w.scanID})
			wantCodes(t, resp, "NOT_FOUND")
		})
		t.Run("AlertLinks", func(t *testing.T) {
			var out struct {
				Alerts struct {
					Edges []struct {
						Node struct {
							Person, Site *idRole
							Scan         *struct{ ID string }
						}
					}
				}
			}
			w.srv.QueryAs(w.official.token, `{ alerts(first: 10) { edges { node { person { id } site { id } scan { id } } } } }`, nil).Decode(t, &out)
			var fromScan int
			for _, e := range out.Alerts.Edges {
				if n := e.Node; n.Scan != nil && n.Scan.ID == w.scanID {
					fromScan++
					if n.Site == nil || n.Site.ID != w.park || n.Person == nil || n.Person.ID != w.resident.ID {
						t.Fatalf("alert links %+v", n)
					}
				}
			}
			if fromScan != 1 {
				t.Fatalf("%d alerts link the scan, want 1: %+v", fromScan, out)
			}
		})
		t.Run("AccountScans", func(t *testing.T) {
			var out struct {
				Node struct {
					Scans struct {
						Edges    []struct{ Node struct{ ID string } }
						PageInfo struct{ HasNextPage bool }
					}
				}
			}
			q := `query($id: ID!) { node(id: $id) { ... on Account { scans(first: 5) { edges { node { id } } pageInfo { hasNextPage } } } } }`
			w.srv.QueryAs(w.scanner.token, q, map[string]any{"id": w.scanner.ID}).Decode(t, &out)
			if e := out.Node.Scans.Edges; len(e) != 1 || e[0].Node.ID != w.scanID || out.Node.Scans.PageInfo.HasNextPage {
				t.Fatalf("the scanner's scans: %+v", out)
			}
			wantCodes(t, w.srv.QueryAs(w.official.token, q, map[string]any{"id": w.scanner.ID}), "NOT_FOUND")
		})
		t.Run("PersonScans", func(t *testing.T) {
			q := `query($id: ID!) { node(id: $id) { ... on Person { scans { edges { node { id site { id } } } } } } }`
			var out struct {
				Node struct {
					Scans struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
			}
			w.srv.QueryAs(w.grid.token, q, map[string]any{"id": w.resident.ID}).Decode(t, &out)
			if e := out.Node.Scans.Edges; len(e) != 1 || e[0].Node.ID != w.scanID {
				t.Fatalf("the resident's scans as the grid worker: %+v", out)
			}
			wantCodes(t, w.srv.QueryAs(w.outsider.token, q, map[string]any{"id": w.resident.ID}), "NOT_FOUND")
		})
	})
}

// TestPersonHistoryIsScoped: a person's declarations, test results and
// colour changes are connections of Nodes seen by whoever sees the person,
// and by nobody else, through node(id) too.
func TestPersonHistoryIsScoped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newLinkedWorld(t, db)
		q := `query($id: ID!) { node(id: $id) { ... on Person { colour
			colourChanges(last: 5) { totalCount edges { node { id from to cause } } }
			declarations { edges { node { id day temperature } } }
			testResults { totalCount } } } }`
		var out struct {
			Node struct {
				Colour        string
				ColourChanges struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID, From, To string } }
				}
				Declarations struct {
					Edges []struct{ Node struct{ ID string } }
				}
				TestResults struct{ TotalCount int }
			}
		}
		w.srv.QueryAs(w.official.token, q, map[string]any{"id": w.resident.ID}).Decode(t, &out)
		cc := out.Node.ColourChanges
		if out.Node.Colour != "YELLOW" || cc.TotalCount != 1 || len(cc.Edges) != 1 || cc.Edges[0].Node.From != "GREEN" || cc.Edges[0].Node.To != "YELLOW" ||
			len(out.Node.Declarations.Edges) != 1 || out.Node.TestResults.TotalCount != 0 {
			t.Fatalf("the resident's history as the official: %+v", out)
		}
		changeID, declID := cc.Edges[0].Node.ID, out.Node.Declarations.Edges[0].Node.ID
		node := `query($id: ID!) { node(id: $id) { id } }`
		for _, id := range []string{changeID, declID} {
			for _, tok := range []string{w.official.token, w.grid.token, w.initiator} {
				if resp := w.srv.QueryAs(tok, node, map[string]any{"id": id}); len(resp.Errors) > 0 {
					t.Fatalf("node %s as one who sees the resident: %+v", id, resp.Errors)
				}
			}
			for _, tok := range []string{w.outsider.token, w.scanner.token} {
				wantCodes(t, w.srv.QueryAs(tok, node, map[string]any{"id": id}), "NOT_FOUND")
			}
		}
	})
}

// TestConnectionsAreScoped: auditEvents and controlListImports are
// connections of Nodes; the audit log is the INITIATOR's only.
func TestConnectionsAreScoped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		q := `query($after: Cursor) { auditEvents(first: 2, after: $after, action: "createAccount") {
			edges { cursor node { id action accountId sealed } } pageInfo { hasNextPage endCursor } } }`
		type page struct {
			AuditEvents struct {
				Edges []struct {
					Cursor string
					Node   struct{ ID, Action string }
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		var first, second page
		w.srv.QueryAs(w.initiator, q, nil).Decode(t, &first)
		if len(first.AuditEvents.Edges) != 2 || !first.AuditEvents.PageInfo.HasNextPage {
			t.Fatalf("first page: %+v", first)
		}
		w.srv.QueryAs(w.initiator, q, map[string]any{"after": first.AuditEvents.PageInfo.EndCursor}).Decode(t, &second)
		older := func(a, b string) bool { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x < y }
		if len(second.AuditEvents.Edges) == 0 || !older(second.AuditEvents.Edges[0].Node.ID, first.AuditEvents.Edges[1].Node.ID) {
			t.Fatalf("second page is not older than the first: %+v then %+v", first, second)
		}
		eventID := first.AuditEvents.Edges[0].Node.ID
		var node struct{ Node struct{ Action string } }
		w.srv.QueryAs(w.initiator, `query($id: ID!) { node(id: $id) { ... on AuditEvent { action } } }`, map[string]any{"id": eventID}).Decode(t, &node)
		if node.Node.Action != "createAccount" {
			t.Fatalf("node(audit event): %+v", node)
		}
		wantCodes(t, w.srv.QueryAs(w.official.token, q, nil), "FORBIDDEN")
		wantCodes(t, w.srv.QueryAs(w.official.token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": eventID}), "NOT_FOUND")

		var imports struct {
			ControlListImports   struct{ TotalCount int }
			PendingReactivations struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		w.srv.QueryAs(w.official.token, `{ controlListImports(first: 5) { totalCount edges { node { id status rowErrors { line } } } }
			pendingReactivations { edges { node { id } } } }`, nil).Decode(t, &imports)
		if imports.ControlListImports.TotalCount != 0 || len(imports.PendingReactivations.Edges) != 0 {
			t.Fatalf("an official with no imports and no requests: %+v", imports)
		}
	})
}
