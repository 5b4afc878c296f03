package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
)

// TestScanPagesDoNotCount: a page of scans with pageInfo costs no COUNT
// (keyset pagination that stays fast at 100 M rows); only asking for
// totalCount does. hasNextPage and the cursor still walk every row once.
func TestScanPagesDoNotCount(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			c := &dbtest.Counter{Keep: true}
			db := dbtest.Open(t, d, database.Options{WrapDriver: c.Wrap})
			ctx := context.Background()
			srv := apitest.New(t, db, httpserver.Config{})
			initiator := srv.LoginInitiator()
			t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
			for i := 0; i < 7; i++ {
				if err := db.Client.Scan.Create().SetClientID(fmt.Sprint("c", i)).SetAccountID(1).SetAccountPath("/a1/").
					SetScannerName("王*").SetSiteID(1).SetSitePath("/22/s1/").SetSiteName("南湖公园").SetSector(scenario.Sector("OTHER")).
					SetMethod(scan.MethodSHOW_CODE).SetTemperature(36.5).SetFever(false).SetDecision(scan.DecisionPASS).
					SetColour(scenario.ColourGreen).SetServerTime(t0.Add(time.Duration(i%3) * time.Minute)).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			const page = `query($after: Cursor) { scans(first: 3, after: $after, orderBy: {field: SERVER_TIME, direction: DESC}) {
				edges { node { id serverTime } } pageInfo { hasNextPage endCursor } } }`
			seen := map[string]bool{}
			var after any
			for pages := 1; ; pages++ {
				c.Reset()
				var out struct {
					Scans struct {
						Edges    []struct{ Node struct{ ID string } }
						PageInfo struct {
							HasNextPage bool
							EndCursor   string
						}
					}
				}
				srv.QueryAs(initiator, page, map[string]any{"after": after}).Decode(t, &out)
				for _, s := range c.Statements() {
					if strings.Contains(strings.ToUpper(s), "COUNT(") {
						t.Fatalf("page %d counted: %s", pages, s)
					}
				}
				for _, e := range out.Scans.Edges {
					if seen[e.Node.ID] {
						t.Fatalf("scan %s on two pages", e.Node.ID)
					}
					seen[e.Node.ID] = true
				}
				if !out.Scans.PageInfo.HasNextPage {
					if pages != 3 {
						t.Fatalf("%d pages of 3 for 7 scans", pages)
					}
					break
				}
				after = out.Scans.PageInfo.EndCursor
			}
			if len(seen) != 7 {
				t.Fatalf("walked %d scans of 7", len(seen))
			}
			c.Reset()
			var total struct{ Scans struct{ TotalCount int } }
			srv.QueryAs(initiator, `{ scans(first: 1) { totalCount pageInfo { hasNextPage } } }`, nil).Decode(t, &total)
			counted := false
			for _, s := range c.Statements() {
				counted = counted || strings.Contains(strings.ToUpper(s), "COUNT(")
			}
			if total.Scans.TotalCount != 7 || !counted {
				t.Fatalf("totalCount %d, counted %v", total.Scans.TotalCount, counted)
			}
		})
	}
}
