package persons_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/testresult"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
)

// Paths of the callers' scopes: the resident lives in 朝阳区.
const (
	chaoyang = "/22/2201/220104/"
	nanguan  = "/22/2201/220102/"
	site     = "/22/2201/220104/220104001/220104001001/s1/"
)

// caller is a request context: the scope filter applies (authz.WithRequest)
// and v acts (nil: anonymous).
func caller(v *mashang.Viewer) context.Context {
	ctx := authz.WithRequest(context.Background())
	if v == nil {
		return ctx
	}
	return mashang.NewContextWithViewer(ctx, v)
}

var (
	anonymous           = caller(nil)
	initiator           = caller(&mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/", AccountPath: "/a1/"})
	districtOfficial    = caller(&mashang.Viewer{AccountID: 2, Role: mashang.RoleOfficial, ScopePath: chaoyang, AccountPath: "/a1/a2/"})
	otherOfficial       = caller(&mashang.Viewer{AccountID: 3, Role: mashang.RoleOfficial, ScopePath: nanguan, AccountPath: "/a1/a3/"})
	districtGridWorker  = caller(&mashang.Viewer{AccountID: 4, Role: mashang.RoleGridWorker, ScopePath: chaoyang, AccountPath: "/a1/a4/"})
	ordinaryScanner     = caller(&mashang.Viewer{AccountID: 5, Role: mashang.RoleOrdinary, ScopePath: site, AccountPath: "/a1/a5/a6/"})
	seniorOfTheDistrict = caller(&mashang.Viewer{AccountID: 7, Role: mashang.RoleSenior, ScopePath: chaoyang, AccountPath: "/a1/a7/"})
)

// resident registers a person living in 朝阳区 on a client with the scope
// filter installed.
func resident(t *testing.T, db *database.DB) (*persons.Service, *clock, *ent.Person) {
	t.Helper()
	authz.Install(db.Client)
	s, clk := newService(t, db)
	p := register(t, s, "22010419900307123")
	p, err := db.Client.Person.UpdateOne(p).SetResidencePath(chaoyang).Save(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The move, in the statistics as persons.claim records one.
	if err := s.Rollups.Apply(context.Background(), db.Client, stats.ResidenceDelta(p.CreatedAt, "", chaoyang)); err != nil {
		t.Fatal(err)
	}
	return s, clk, p
}

type callerCase struct {
	name string
	ctx  context.Context
	code string // "" when allowed
}

// TestSetRiskCallers: only officials within the person's region and the
// INITIATOR change a risk (DESIGN §5, seed 001 §4 红色), and a refused
// caller writes nothing.
func TestSetRiskCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s, _, p := resident(t, db)
		for _, tc := range []callerCase{
			{"AsAnonymous", anonymous, mashang.EUNAUTHENTICATED},
			{"AsAnOfficialOfAnotherDistrict", otherOfficial, mashang.EFORBIDDEN},
			{"AsAGridWorkerOfTheDistrict", districtGridWorker, mashang.EFORBIDDEN},
			{"AsASeniorOfTheDistrict", seniorOfTheDistrict, mashang.EFORBIDDEN},
			{"AsAnOrdinaryScanner", ordinaryScanner, mashang.EFORBIDDEN},
			{"AsTheOfficialOfTheDistrict", districtOfficial, ""},
			{"AsTheInitiator", initiator, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.SetRisk(tc.ctx, p.ID, "CONFIRMED", nil)
				if tc.code != "" {
					wantCode(t, err, tc.code, "")
					if now, _ := db.Client.Person.Get(context.Background(), p.ID); now.Risk != person.RiskNONE {
						t.Fatalf("refused caller changed the risk to %s", now.Risk)
					}
					return
				}
				if err != nil || got.Colour != scenario.ColourRed {
					t.Fatalf("%v %v, want RED", got, err)
				}
				if _, err := s.SetRisk(tc.ctx, p.ID, "RELEASED", nil); err != nil {
					t.Fatal(err)
				}
			})
		}
		_, err := s.SetRisk(districtOfficial, 999999, "CONFIRMED", nil)
		wantCode(t, err, mashang.ENOTFOUND, "person")
	})
}

// TestAddTestResultCallers: test results come from the health authorities.
func TestAddTestResultCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s, clk, p := resident(t, db)
		for _, tc := range []callerCase{
			{"AsAnonymous", anonymous, mashang.EUNAUTHENTICATED},
			{"AsAnOfficialOfAnotherDistrict", otherOfficial, mashang.EFORBIDDEN},
			{"AsAGridWorkerOfTheDistrict", districtGridWorker, mashang.EFORBIDDEN},
			{"AsAnOrdinaryScanner", ordinaryScanner, mashang.EFORBIDDEN},
			{"AsTheOfficialOfTheDistrict", districtOfficial, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, _ := db.Client.TestResult.Query().Where(testresult.PersonID(p.ID)).Count(context.Background())
				_, err := s.AddTestResult(tc.ctx, p.ID, "PCR", "NEGATIVE", "省疾控中心", clk.Now().Add(-time.Hour))
				after, _ := db.Client.TestResult.Query().Where(testresult.PersonID(p.ID)).Count(context.Background())
				if tc.code != "" {
					wantCode(t, err, tc.code, "")
					if after != before {
						t.Fatal("refused caller stored a test result")
					}
					return
				}
				if err != nil || after != before+1 {
					t.Fatalf("%v: %d → %d results", err, before, after)
				}
			})
		}
	})
}

// TestPublishRuleSetCallers: the rules are the province's; the right is
// checked before the rules are read.
func TestPublishRuleSetCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s, _, _ := resident(t, db)
		rs := health.DefaultRuleSet()
		rs.Version, rs.Params = 2, map[string]float64{"fever_c": 37.5}
		for _, tc := range []callerCase{
			{"AsAnonymous", anonymous, mashang.EUNAUTHENTICATED},
			{"AsAnOfficial", districtOfficial, mashang.EFORBIDDEN},
			{"AsASenior", seniorOfTheDistrict, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.PublishRuleSet(tc.ctx, rulesJSON(t, rs), "x")
				wantCode(t, err, tc.code, "")
				_, err = s.PublishRuleSet(tc.ctx, `not json`, "x")
				wantCode(t, err, tc.code, "")
			})
		}
		if n, _ := db.Client.RuleSetVersion.Query().Count(context.Background()); n != 1 {
			t.Fatalf("%d versions after refusals, want 1", n)
		}
		_, err := s.PublishRuleSet(initiator, `not json`, "x")
		wantCode(t, err, mashang.EINVALID, "rules")
		row, err := s.PublishRuleSet(initiator, rulesJSON(t, rs), "fever 37.5")
		if err != nil || row.Version != 2 {
			t.Fatalf("initiator: %v %v", row, err)
		}
		t.Run("RuleSetsAsAnonymous", func(t *testing.T) {
			_, err := s.RuleSets(anonymous)
			wantCode(t, err, mashang.EUNAUTHENTICATED, "")
		})
		all, err := s.RuleSets(ordinaryScanner)
		if err != nil || len(all) != 2 {
			t.Fatalf("rule sets as a scanner: %d %v, want both versions", len(all), err)
		}
	})
}

// TestHolderCallers: who may act for a person in a citizen-facing call.
func TestHolderCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s, _, p := resident(t, db)
		token := secretOf(t, s, p)
		byID := persons.Ref{ID: p.ID}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			ref  persons.Ref
			code string
		}{
			{"AsAnonymousByID", anonymous, byID, mashang.EUNAUTHENTICATED},
			{"AsAnonymousWithAWrongToken", anonymous, persons.Ref{Token: persons.SecretPrefix + "wrong"}, mashang.EUNAUTHENTICATED},
			{"AsAnOfficialOfAnotherDistrict", otherOfficial, byID, mashang.ENOTFOUND},
			{"AsAnOrdinaryScanner", ordinaryScanner, byID, mashang.ENOTFOUND},
			{"AsASeniorOfTheDistrict", seniorOfTheDistrict, byID, mashang.ENOTFOUND},
			{"AsAnonymousWithTheToken", anonymous, persons.Ref{Token: token}, ""},
			{"AsTheGridWorkerOfTheDistrict", districtGridWorker, byID, ""},
			{"AsTheOfficialOfTheDistrict", districtOfficial, byID, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.Holder(tc.ctx, tc.ref)
				if tc.code != "" {
					wantCode(t, err, tc.code, "")
					return
				}
				if err != nil || got.ID != p.ID {
					t.Fatalf("%v %v, want person %d", got, err, p.ID)
				}
			})
		}
		t.Run("DeclareHealthAsAnOfficialOfAnotherDistrict", func(t *testing.T) {
			_, err := s.DeclareHealth(otherOfficial, byID, persons.Declaration{Symptoms: []string{"咳嗽"}})
			wantCode(t, err, mashang.ENOTFOUND, "person")
			if n, _ := db.Client.HealthDeclaration.Query().Count(context.Background()); n != 0 {
				t.Fatalf("%d declarations after a refusal", n)
			}
		})
		if _, err := s.DeclareHealth(anonymous, persons.Ref{Token: token}, persons.Declaration{}); err != nil {
			t.Fatalf("declaration with the person's own token: %v", err)
		}
	})
}

// piiViewer stores an OFFICIAL account of scope holding a PII_VIEWER grant
// that covers region ("": the holder's scope) until expires, and returns
// the context of a request acting as it.
func piiViewer(t *testing.T, db *database.DB, scope, region string, expires time.Time) (context.Context, *ent.Grant) {
	t.Helper()
	ctx := context.Background()
	n := db.Client.User.Query().CountX(ctx) + 1
	u, err := db.Client.User.Create().SetName("官员").SetPhoneSealed([]byte("x")).SetPhoneHash(fmt.Sprint("pv", n)).
		SetPhoneMasked("139****0000").SetPasswordHash("x").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Client.Account.Create().SetRole(account.RoleOFFICIAL).SetScopePath(scope).
		SetAccountPath(fmt.Sprintf("/pv%d/", n)).SetHolderID(u.ID).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g, err := db.Client.Grant.Create().SetKind(grant.KindPII_VIEWER).SetExpiresAt(expires).SetReason("核实身份").
		SetCaseNumber("朝阳流调〔2026〕7号").SetScopePath(region).SetAccountID(a.ID).SetGrantedByID(a.ID).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return caller(&mashang.Viewer{UserID: u.ID, AccountID: a.ID, Role: mashang.RoleOfficial, ScopePath: scope, AccountPath: a.AccountPath,
		Grants: []mashang.ViewerGrant{{Kind: mashang.GrantPIIViewer, ExpiresAt: expires}}}), g
}

// TestUnmaskCallers: personal data in clear only with a live PII_VIEWER
// grant, every use audited with the grant's purpose (DESIGN §8).
func TestUnmaskCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s, clk, p := resident(t, db)
		expired, _ := piiViewer(t, db, chaoyang, "", clk.Now().Add(-time.Minute))
		revoked, rg := piiViewer(t, db, chaoyang, "", clk.Now().Add(time.Hour))
		db.Client.Grant.UpdateOne(rg).SetRevokedAt(clk.Now()).ExecX(context.Background())
		for _, tc := range []callerCase{
			{"AsAnonymous", anonymous, mashang.EUNAUTHENTICATED},
			{"AsAnOfficialWithoutAGrant", districtOfficial, mashang.EFORBIDDEN},
			{"AsTheInitiatorWithoutAGrant", initiator, mashang.EFORBIDDEN},
			{"AsAnOfficialWithAnExpiredGrant", expired, mashang.EFORBIDDEN},
			{"AsAnOfficialWithARevokedGrant", revoked, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Unmask(tc.ctx, p, "核实身份")
				wantCode(t, err, tc.code, "")
			})
		}
		if n, _ := db.Client.AuditEvent.Query().Count(context.Background()); n != 0 {
			t.Fatalf("%d audit events after refusals, want 0", n)
		}
		ctx, g := piiViewer(t, db, chaoyang, "", clk.Now().Add(time.Hour))
		id, err := s.Unmask(ctx, p, "核实身份")
		if err != nil || id.Name != "张三丰" || id.IDNumber != residentID(t, "22010419900307123") || id.Phone != nil {
			t.Fatalf("unmasked %+v %v", id, err)
		}
		ev, err := db.Client.AuditEvent.Query().Where(auditevent.Action("unmaskPerson")).Only(context.Background())
		if err != nil || ev.AccountID == nil || *ev.AccountID != g.AccountID {
			t.Fatalf("audit event %+v %v", ev, err)
		}
		for _, want := range []string{fmt.Sprintf(`"grant":%d`, g.ID), `"caseNumber":"朝阳流调〔2026〕7号"`, `"reason":"核实身份"`, `"region":"` + chaoyang + `"`} {
			if !strings.Contains(ev.Detail, want) {
				t.Errorf("audit detail %s lacks %s", ev.Detail, want)
			}
		}
	})
}

// TestAPiiViewerCannotUnmaskOutsideTheGrantRegion: a PII_VIEWER grant
// covers a region (issue 10 #18; seed 001 §11): an official of 南关区 with a
// grant for its own district, or one whose grant the province limited to a
// community, does not read a 朝阳区 resident in clear — even an official of
// 朝阳区 itself, when the province chose a narrower region. A grant the
// province gave for 朝阳区 to the official of 南关区 does.
func TestAPiiViewerCannotUnmaskOutsideTheGrantRegion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s, clk, p := resident(t, db)
		later := clk.Now().Add(time.Hour)
		ownDistrict, _ := piiViewer(t, db, nanguan, "", later)
		narrower, _ := piiViewer(t, db, chaoyang, chaoyang+"220104999/", later)
		for name, ctx := range map[string]context.Context{"AsAnOfficialOfNanguanWithAGrantForNanguan": ownDistrict,
			"AsAnOfficialOfChaoyangWithAGrantForAnotherStreet": narrower} {
			t.Run(name, func(t *testing.T) {
				_, err := s.Unmask(ctx, p, "核实身份")
				wantCode(t, err, mashang.EFORBIDDEN, "")
			})
		}
		if n, _ := db.Client.AuditEvent.Query().Count(context.Background()); n != 0 {
			t.Fatalf("%d audit events after refusals, want 0", n)
		}
		chosen, _ := piiViewer(t, db, nanguan, chaoyang, later)
		if id, err := s.Unmask(chosen, p, "核实身份"); err != nil || id.Name != "张三丰" {
			t.Fatalf("with a grant for 朝阳区: %+v %v", id, err)
		}
	})
}
