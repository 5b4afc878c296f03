package graph_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	entaccount "github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/outboxmessage"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/supervision"
)

// applyAt adds n to a metric at every node of path on day, as the live
// hooks do (the fixtures of issue 12 write the rollups directly).
func applyAt(t *testing.T, db *database.DB, path, day string, m stats.Metric, n int64) {
	t.Helper()
	var d stats.Delta
	d.AddAt(stats.Nodes(path), stats.Key{Day: day, Metric: m}, n)
	if err := (&stats.Rollups{Dialect: db.Dialect}).Apply(context.Background(), db.Client, &d); err != nil {
		t.Fatal(err)
	}
}

func regionID(t *testing.T, db *database.DB, code string) string {
	t.Helper()
	return fmt.Sprint(db.Client.Region.Query().Where(region.Code(code)).OnlyX(context.Background()).ID)
}

type progressOut struct {
	Date       string
	Registered int
	Target     *int
	Rate       *float64
}

const progressFields = `date registered target rate`

func TestRegistrationProgress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		ningguo := regionID(t, db, "341881")
		helixi := db.Client.Region.Query().Where(region.Code("341881003")).OnlyX(ctx)
		// The province sets the town's figures (seed 003 annex 1 row 14,
		// 河沥街道 = 河沥溪街道: 30918 / 27827).
		w.srv.QueryAs(w.initiator, `mutation($r: ID!) { setRegionPopulation(region: $r, population: 30918, registrationTarget: 27827) { id population registrationTarget } }`,
			map[string]any{"r": fmt.Sprint(helixi.ID)}).Decode(t, &struct{}{})
		applyAt(t, db, helixi.Path, "2020-03-24", stats.Registrations, 10000)
		applyAt(t, db, helixi.Path, "2020-03-25", stats.Registrations, 3913)
		applyAt(t, db, helixi.Path, "2020-03-26", stats.Registrations, 50000)

		t.Run("ARegionAndItsChildrenInOneBatch", func(t *testing.T) {
			var out struct {
				RegionByCode struct {
					RegistrationProgress progressOut
					Children             struct {
						Edges []struct {
							Node struct {
								Name                 string
								RegistrationProgress progressOut
							}
						}
					}
				}
			}
			w.srv.QueryAs(w.outsider.token, `{ regionByCode(code: "341881") { registrationProgress(date: "2020-03-25") { `+progressFields+` }
				children { edges { node { name registrationProgress(date: "2020-03-25") { `+progressFields+` } } } } } }`, nil).Decode(t, &out)
			p := out.RegionByCode.RegistrationProgress
			if p.Registered != 13913 || p.Target == nil || *p.Target != 27827 || p.Rate == nil || *p.Rate != 13913.0/27827 || p.Date != "2020-03-25" {
				t.Errorf("宁国市: %+v, want 13913 of 27827 (its one town with figures)", p)
			}
			if e := out.RegionByCode.Children.Edges; len(e) != 1 || e[0].Node.RegistrationProgress.Registered != 13913 {
				t.Errorf("children %+v", e)
			}
		})

		t.Run("Ranking", func(t *testing.T) {
			var out struct {
				RegistrationRanking []struct {
					Rank     int
					Region   struct{ Name string }
					Progress progressOut
				}
			}
			w.srv.QueryAs(w.outsider.token, `query($u: ID!) { registrationRanking(under: $u, date: "2020-03-25") { rank region { name } progress { `+progressFields+` } } }`,
				map[string]any{"u": ningguo}).Decode(t, &out)
			if r := out.RegistrationRanking; len(r) != 1 || r[0].Rank != 1 || r[0].Region.Name != "河沥溪街道" || r[0].Progress.Registered != 13913 {
				t.Errorf("ranking %+v", r)
			}
		})

		t.Run("TestAnOfficialOfAnotherDistrictCannotReadItsRegistrationProgress", func(t *testing.T) {
			// The tree is public; the counts on it are not: null.
			for _, token := range []string{w.official.token, ""} {
				var out struct {
					RegionByCode struct {
						Name                 string
						RegistrationProgress *progressOut
					}
				}
				w.srv.QueryAs(token, `{ regionByCode(code: "341881") { name registrationProgress { registered } } }`, nil).Decode(t, &out)
				if out.RegionByCode.Name != "宁国市" || out.RegionByCode.RegistrationProgress != nil {
					t.Errorf("SECURITY: %+v", out.RegionByCode)
				}
			}
			resp := w.srv.QueryAs(w.official.token, `query($u: ID!) { registrationRanking(under: $u) { rank } }`, map[string]any{"u": ningguo})
			wantCodes(t, resp, "FORBIDDEN")
			resp = w.srv.Query(`query($u: ID!) { registrationRanking(under: $u) { rank } }`, map[string]any{"u": ningguo})
			wantCodes(t, resp, "UNAUTHENTICATED")
		})

		t.Run("TestAnOrdinaryScannerCannotReadRegistrationProgress", func(t *testing.T) {
			var out struct {
				RegionByCode struct{ RegistrationProgress *progressOut }
			}
			w.srv.QueryAs(w.scanner.token, `{ regionByCode(code: "220104") { registrationProgress { registered } } }`, nil).Decode(t, &out)
			if out.RegionByCode.RegistrationProgress != nil {
				t.Errorf("SECURITY: an ORDINARY scanner read %+v", out.RegionByCode.RegistrationProgress)
			}
		})

		t.Run("BadDate", func(t *testing.T) {
			resp := w.srv.QueryAs(w.outsider.token, `{ regionByCode(code: "341881") { registrationProgress(date: "25/03/2020") { registered } } }`, nil)
			wantCodes(t, resp, "INVALID_INPUT")
		})
	})
}

func TestSettingPopulations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		helixi := regionID(t, db, "341881003")
		set := `mutation($r: ID!, $p: Int, $t: Int) { setRegionPopulation(region: $r, population: $p, registrationTarget: $t) { population registrationTarget } }`

		t.Run("ADistrictOfficialSetsItsTowns", func(t *testing.T) {
			// The public tree is cached by revision: a figure set must show.
			const tree = `{ regionByCode(code: "341881003") { population registrationTarget } }`
			var pub struct {
				RegionByCode struct{ Population, RegistrationTarget *int }
			}
			w.srv.Query(tree, nil).Decode(t, &pub)
			if pub.RegionByCode.Population != nil {
				t.Fatalf("河沥溪街道 starts with a population: %+v", pub)
			}
			var out struct {
				SetRegionPopulation struct{ Population, RegistrationTarget int }
			}
			w.srv.QueryAs(w.outsider.token, set, map[string]any{"r": helixi, "p": 30918, "t": 27827}).Decode(t, &out)
			if out.SetRegionPopulation.Population != 30918 || out.SetRegionPopulation.RegistrationTarget != 27827 {
				t.Errorf("%+v", out)
			}
			w.srv.Query(tree, nil).Decode(t, &pub)
			if p := pub.RegionByCode.Population; p == nil || *p != 30918 {
				t.Errorf("the tree still shows population %v", p)
			}
			n := db.Client.AuditEvent.Query().Where(auditevent.Action("setRegionPopulation")).CountX(ctx)
			if n != 1 {
				t.Errorf("%d audit events of setRegionPopulation, want 1", n)
			}
		})

		t.Run("TestAnOfficialOfAnotherDistrictCannotSetItsPopulations", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.official.token, set, map[string]any{"r": helixi, "p": 1}), "FORBIDDEN")
		})
		t.Run("TestADistrictOfficialCannotSetItsOwnTarget", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.outsider.token, set, map[string]any{"r": regionID(t, db, "341881"), "t": 1}), "FORBIDDEN")
		})
		t.Run("TestAGridWorkerCannotSetPopulations", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.grid.token, set, map[string]any{"r": regionID(t, db, "220104001001"), "p": 1}), "FORBIDDEN")
		})

		t.Run("ImportXLSX", func(t *testing.T) {
			f := excelize.NewFile()
			for i, row := range [][]any{{"代码", "名称", "辖区总人数", "目标任务量"}, {"341881003", "河沥溪街道", 30000, nil}, {"220104001", "前进街道", 5, 4}} {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				_ = f.SetSheetRow("Sheet1", cell, &row)
			}
			buf, _ := f.WriteToBuffer()
			imp := `mutation($c: String!) { importRegionPopulations(filename: "p.xlsx", contentBase64: $c) { rows updated errors { line error { code message } } } }`
			var out struct {
				ImportRegionPopulations struct {
					Rows, Updated int
					Errors        []struct {
						Line  int
						Error struct{ Code, Message string }
					}
				}
			}
			w.srv.QueryAs(w.outsider.token, imp, map[string]any{"c": base64.StdEncoding.EncodeToString(buf.Bytes())}).Decode(t, &out)
			r := out.ImportRegionPopulations
			if r.Rows != 2 || r.Updated != 0 || len(r.Errors) != 1 || r.Errors[0].Line != 3 || r.Errors[0].Error.Code != "FORBIDDEN" {
				t.Fatalf("import as 宁国市 with a row of 朝阳区: %+v", r)
			}
			if p := db.Client.Region.Query().Where(region.Code("341881003")).OnlyX(ctx).Population; *p != 30918 {
				t.Errorf("a refused import changed 河沥溪街道's population to %d", *p)
			}
			w.srv.QueryAs(w.initiator, imp, map[string]any{"c": base64.StdEncoding.EncodeToString(buf.Bytes())}).Decode(t, &out)
			if r := out.ImportRegionPopulations; r.Updated != 2 || len(r.Errors) != 0 {
				t.Fatalf("import as the province: %+v", r)
			}
			if p := db.Client.Region.Query().Where(region.Code("341881003")).OnlyX(ctx).Population; *p != 30000 {
				t.Errorf("河沥溪街道's population %d, want 30000", *p)
			}
		})
	})
}

type supervisionOut struct {
	Supervision struct {
		Date      string
		IdleSites struct {
			TotalCount int
			Nodes      []struct{ Name string }
		}
		UnreadySites struct {
			TotalCount int
			Nodes      []struct{ Name string }
		}
		SilentScanners struct {
			TotalCount int
			Nodes      []struct {
				AccountID string
				Role      string
			}
		}
	}
}

const supervisionQuery = `query($u: ID!, $d: Date, $h: Int) { supervision(under: $u, date: $d, hours: $h) { date
	idleSites(first: 10) { totalCount nodes { name } }
	unreadySites(first: 10) { totalCount nodes { name } }
	silentScanners { totalCount nodes { accountId role } } } }`

func names(nodes []struct{ Name string }) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Name)
	}
	slices.Sort(out)
	return out
}

func TestSupervision(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		park := db.Client.Site.GetX(ctx, atoi(t, w.park))
		day := stats.Day(time.Now())
		ask := func(as string, vars map[string]any) supervisionOut {
			var out supervisionOut
			w.srv.QueryAs(as, supervisionQuery, vars).Decode(t, &out)
			return out
		}

		t.Run("AMandatorySiteWithNoScanIsListed", func(t *testing.T) {
			out := ask(w.official.token, map[string]any{"u": w.district, "d": day})
			// 南湖公园 is a PARK (MANDATORY, seed 004 annex), built and enabled.
			if got := names(out.Supervision.IdleSites.Nodes); !slices.Equal(got, []string{"南湖公园"}) || out.Supervision.IdleSites.TotalCount != 1 {
				t.Errorf("idle sites %v", got)
			}
			// Its entrance is built but not enabled, the bus neither.
			if got := names(out.Supervision.UnreadySites.Nodes); !slices.Equal(got, []string{"62路公交车", "南湖公园东门"}) {
				t.Errorf("unready sites %v", got)
			}
		})

		t.Run("AScanThatDayTakesItOff", func(t *testing.T) {
			applyAt(t, db, park.Path, day, stats.Scans, 3)
			if out := ask(w.official.token, map[string]any{"u": w.district, "d": day}); out.Supervision.IdleSites.TotalCount != 0 {
				t.Errorf("a site that scanned today is listed: %+v", out.Supervision.IdleSites)
			}
			// The day before it did not scan.
			prev := supervision.Yesterday(time.Now())
			if out := ask(w.official.token, map[string]any{"u": w.district, "d": prev}); out.Supervision.IdleSites.TotalCount != 1 {
				t.Errorf("yesterday: %+v", out.Supervision.IdleSites)
			}
			// No scan rows in the last 2 hours, until a real scan.
			if out := ask(w.official.token, map[string]any{"u": w.district, "h": 2}); out.Supervision.IdleSites.TotalCount != 1 {
				t.Errorf("last 2 hours: %+v", out.Supervision.IdleSites)
			}
			s, resp := recordScan(t, w.srv, w.scanner.token, map[string]any{"clientId": "sup-1", "site": w.park, "method": "SCAN_CODE",
				"token": issueCode(t, w.srv, w.resident.Token), "temperature": 36.5, "latitude": 43.8601, "longitude": 125.3101})
			if len(resp.Errors) > 0 || s.ID == "" {
				t.Fatalf("recordScan: %+v", resp.Errors)
			}
			if out := ask(w.official.token, map[string]any{"u": w.district, "h": 2}); out.Supervision.IdleSites.TotalCount != 0 {
				t.Errorf("last 2 hours after a scan: %+v", out.Supervision.IdleSites)
			}
		})

		t.Run("SilentScanners", func(t *testing.T) {
			old := time.Now().Add(-20 * 24 * time.Hour)
			db.Client.Account.Update().Where(entaccount.RoleEQ(entaccount.RoleORDINARY)).SetLastActiveAt(old).ExecX(ctx)
			out := ask(w.official.token, map[string]any{"u": w.district})
			if s := out.Supervision.SilentScanners; s.TotalCount != 1 || s.Nodes[0].AccountID != w.scanner.ID || s.Nodes[0].Role != "ORDINARY" {
				t.Errorf("silent scanners %+v", s)
			}
		})

		t.Run("TheGridWorkerOfTheCommunity", func(t *testing.T) {
			if out := ask(w.grid.token, map[string]any{"u": w.community, "d": "2020-01-01"}); out.Supervision.IdleSites.TotalCount != 1 {
				t.Errorf("grid worker: %+v", out.Supervision.IdleSites)
			}
		})

		t.Run("AnOfficialOfASectorSeesItsSectorOnly", func(t *testing.T) {
			var out struct{ CreateAccount struct{ ID string } }
			holder := map[string]any{"name": "朝阳区教育局", "phone": "13600000061", "password": "pass-13600000061"}
			w.srv.QueryAs(w.initiator, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"role": "OFFICIAL", "scopeId": w.district, "sector": "EDUCATION", "holder": holder}}).Decode(t, &out)
			edu := w.srv.Login("13600000061", "pass-13600000061")
			acceptPending(t, w.srv, edu)
			// 南湖公园 is of sector OTHER: not the education bureau's.
			got := ask(edu, map[string]any{"u": w.district, "d": "2020-01-01"})
			if got.Supervision.IdleSites.TotalCount != 0 || got.Supervision.UnreadySites.TotalCount != 0 || got.Supervision.SilentScanners.TotalCount != 0 {
				t.Errorf("SECURITY: an official of EDUCATION sees other sectors: %+v", got.Supervision)
			}
		})

		t.Run("TestAnOfficialOfAnotherDistrictCannotReadItsSupervision", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.outsider.token, supervisionQuery, map[string]any{"u": w.district}), "FORBIDDEN")
		})
		t.Run("TestAnOrdinaryScannerCannotReadSupervision", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.scanner.token, supervisionQuery, map[string]any{"u": w.park}), "FORBIDDEN")
		})
		t.Run("TestAGridWorkerCannotReadItsDistrictsSupervision", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.grid.token, supervisionQuery, map[string]any{"u": w.district}), "FORBIDDEN")
		})
		t.Run("TestAnOfficialCannotFindASiteOfAnotherDistrict", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.official.token, supervisionQuery, map[string]any{"u": w.ningguoSite}), "NOT_FOUND")
		})
	})
}

func TestDailyDigest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		// Not a district: the grid worker, and an official of a street.
		createAccount(t, w.srv, w.initiator, "OFFICIAL", regionID(t, db, "220104001"), "前进街道办", "13600000051", "")
		now := time.Now()
		yesterday := supervision.Yesterday(now)
		district := db.Client.Region.Query().Where(region.Code("220104")).OnlyX(ctx)
		applyAt(t, db, district.Path+"220104001/220104001001/", yesterday, stats.Registrations, 12)
		applyAt(t, db, db.Client.Site.GetX(ctx, atoi(t, w.park)).Path, yesterday, stats.Scans, 40)
		applyAt(t, db, district.Path, yesterday, stats.Fevers, 2)

		digest := &supervision.Digest{Client: db.Client}
		n, err := digest.Run(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("digest: %d messages, %v; want 2 (朝阳区's and 宁国市's officials)", n, err)
		}
		msgs := db.Client.OutboxMessage.Query().Where(outboxmessage.KeyHasPrefix("digest:")).Order(ent.Asc(outboxmessage.FieldKey)).AllX(ctx)
		want := map[string]bool{supervision.DigestKey(atoi(t, w.official.ID), yesterday): true, supervision.DigestKey(atoi(t, w.outsider.ID), yesterday): true}
		var chaoyang *ent.OutboxMessage
		for _, m := range msgs {
			if !want[m.Key] {
				t.Errorf("unexpected digest %s", m.Key)
			}
			if m.Key == supervision.DigestKey(atoi(t, w.official.ID), yesterday) {
				chaoyang = m
			}
		}
		if chaoyang == nil {
			t.Fatal("no digest for 朝阳区's official")
		}
		for _, part := range []string{"朝阳区", yesterday, "新注册 12 人", "扫码 40 次", "体温异常 2 人次", "强制扫码场所当日无扫码 0 个"} {
			if !strings.Contains(chaoyang.Body, part) {
				t.Errorf("digest %q lacks %q", chaoyang.Body, part)
			}
		}
		// Once a day: again, on this replica or another, adds nothing.
		for i := range 2 {
			other := &supervision.Digest{Client: db.Client}
			if n, err := other.Run(ctx, now.Add(time.Duration(i)*time.Minute)); err != nil || n != 0 {
				t.Fatalf("second run: %d, %v", n, err)
			}
		}
		if got := db.Client.OutboxMessage.Query().Where(outboxmessage.KeyHasPrefix("digest:")).CountX(ctx); got != 2 {
			t.Errorf("%d digests after three runs, want 2", got)
		}
	})
}

// TestRegistrationProgressOfAPageIsOneBatch: the progress of every region of
// a page costs the same statements, whatever the page's size (the
// dataloader: one sum of the counters, one read of the figures).
func TestRegistrationProgressOfAPageIsOneBatch(t *testing.T) {
	const q = `{ regionByCode(code: "11") { children(first: 30) { edges { node { code registrationProgress(date: "2020-03-25") { registered target rate } } } } } }`
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			var counts []int64
			for _, size := range []int{3, 9} {
				var c dbtest.Counter
				db := dbtest.Open(t, d, database.Options{WrapDriver: c.Wrap})
				tr := apitest.NewTree(t, db.Client)
				tr.Add("", "11", "北京市")
				for i, city := range tr.Fan("11", size, 2) {
					db.Client.Region.UpdateOneID(city.ID).SetPopulation(int64(1000 * (i + 1))).ExecX(context.Background())
					// The counted driver has no ExecContext (stats.Apply's upsert): the row is written through ent.
					db.Client.StatCount.Create().SetDay("2020-03-20").SetNodePath(city.Path).SetLevel("CITY").
						SetMetric(string(stats.Registrations)).SetValue(int64(i + 1)).ExecX(context.Background())
				}
				srv := apitest.New(t, db, httpserver.Config{})
				token := srv.LoginInitiator()
				c.Reset()
				var out struct {
					RegionByCode struct {
						Children struct {
							Edges []struct {
								Node struct{ RegistrationProgress progressOut }
							}
						}
					}
				}
				srv.QueryAs(token, q, nil).Decode(t, &out)
				e := out.RegionByCode.Children.Edges
				if len(e) != size || e[1].Node.RegistrationProgress.Registered != 2 || *e[1].Node.RegistrationProgress.Target != 1800 {
					t.Fatalf("size %d: %+v", size, e)
				}
				counts = append(counts, c.Count())
			}
			t.Logf("statements: %v", counts)
			if counts[0] != counts[1] {
				t.Fatalf("statements grow with the page: %v", counts)
			}
		})
	}
}

// populationsXLSX is a sheet setting 永昌街道's figures (TestEveryMutationAnswersItsWrite).
func (w *answerWorld) populationsXLSX() map[string]any {
	f := excelize.NewFile()
	row := []any{"220104002", "永昌街道", 500, 450}
	if err := f.SetSheetRow("Sheet1", "A1", &row); err != nil {
		w.t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		w.t.Fatal(err)
	}
	return map[string]any{"c": base64.StdEncoding.EncodeToString(buf.Bytes())}
}
