package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/codes"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// Demo logins besides the province INITIATOR, all with
// DemoInitiatorPassword.
const (
	DemoOfficialPhone = "13900000002" // OFFICIAL of 朝阳区, with a TRACER grant
	DemoGridPhone     = "13900000003" // GRID_WORKER of a 朝阳区 community
	DemoScannerPhone  = "13900000004" // ORDINARY scanner at a hospital entrance
)

// demoResidents are the demo's residents (fictional names).
var demoResidents = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "徐涛", "孙丽"}

// SeedDemoPeople adds accounts, residents, scans and alerts to the demo
// slice so every screen has something to show: an official of 朝阳区 with a
// TRACER grant, a grid worker, a scanner at the district hospital, twelve
// residents scanned there (one with a fever: YELLOW and an alert; one
// without a code, registered MANUAL) and one quarantined by the official
// (ORANGE and an alert). It does nothing when persons exist already.
func SeedDemoPeople(ctx context.Context, db *ent.Client, svc *Services, initiator *ent.Account, out io.Writer) error {
	ctx = authz.AsSystem(ctx)
	if n, err := db.Person.Query().Count(ctx); err != nil || n > 0 {
		return err
	}
	places, err := findDemoPlaces(ctx, db)
	if err != nil {
		return err
	}
	official, scanner, err := createDemoAccounts(ctx, svc, initiator, places)
	if err != nil {
		return err
	}
	items, quarantined, err := registerDemoResidents(ctx, svc, places)
	if err != nil {
		return err
	}
	recorded, err := recordDemoScans(ctx, svc, scanner, items)
	if err != nil {
		return err
	}
	ends := time.Now().AddDate(0, 0, 14)
	if _, err := svc.Persons.SetRiskFor(ctx, quarantined, "QUARANTINED", &ends, official.ID); err != nil {
		return fmt.Errorf("demo quarantine: %w", err)
	}
	fmt.Fprintf(out, "demo people: %d residents and %d scans at %s; logins (password %s): official %s (TRACER), grid worker %s, scanner %s\n",
		len(demoResidents)+1, recorded, places.entrance.Name, DemoInitiatorPassword, DemoOfficialPhone, DemoGridPhone, DemoScannerPhone)
	return nil
}

// demoPlaces are where the demo people live and are scanned.
type demoPlaces struct {
	district  *ent.Region // 朝阳区
	community *ent.Region // its first community
	entrance  *ent.Site   // its first enabled hospital site with a position
}

func findDemoPlaces(ctx context.Context, db *ent.Client) (demoPlaces, error) {
	var p demoPlaces
	var err error
	if p.district, err = db.Region.Query().Where(region.Code("220104")).Only(ctx); err != nil {
		return p, fmt.Errorf("demo people: 朝阳区 is not in the demo data: %w", err)
	}
	lo, hi := tree.Bounds(p.district.Path)
	p.community, err = db.Region.Query().Where(region.LevelEQ(region.LevelCOMMUNITY), region.PathGTE(lo), region.PathLT(hi)).
		Order(ent.Asc(region.FieldPath)).First(ctx)
	if err != nil {
		return p, fmt.Errorf("demo people: no community in 朝阳区: %w", err)
	}
	p.entrance, err = db.Site.Query().Where(site.Enabled(true), site.LatitudeNotNil(), site.PathGTE(lo), site.PathLT(hi), site.NameContains("医院")).
		Order(ent.Asc(site.FieldPath)).First(ctx)
	if err != nil {
		return p, fmt.Errorf("demo people: no enabled hospital site in 朝阳区: %w", err)
	}
	return p, nil
}

// demoResidentID is the n-th made-up resident ID number of 朝阳区, with a
// valid check digit.
func demoResidentID(n int) (string, error) {
	year := 1960 + n*3
	if year > 2005 {
		year -= 90 // a birth date in the future is refused (issue 10 §12)
	}
	first17 := fmt.Sprintf("220104%s%03d", time.Date(year, time.Month(1+n%12), 1+n, 0, 0, 0, 0, time.UTC).Format("20060102"), 100+n)
	d, err := validate.ResidentIDCheckDigit(first17)
	return first17 + string(d), err
}

// createDemoAccounts creates, as the province INITIATOR, the official with
// a TRACER grant, the grid worker and the hospital's scanner (whose own
// code is registered too).
func createDemoAccounts(ctx context.Context, svc *Services, initiator *ent.Account, places demoPlaces) (official, scanner *ent.Account, err error) {
	asInitiator := mashang.NewContextWithViewer(ctx, &mashang.Viewer{UserID: initiator.HolderID, AccountID: initiator.ID,
		Role: mashang.RoleInitiator, ScopePath: initiator.ScopePath, AccountPath: initiator.AccountPath})
	official, err = svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleOfficial, ScopeRegionID: places.district.ID,
		Holder: accounts.Holder{Name: "朝阳区卫健局值班员", Phone: DemoOfficialPhone, Password: DemoInitiatorPassword}})
	if err != nil {
		return nil, nil, fmt.Errorf("demo official: %w", err)
	}
	// The grant covers 朝阳区 and names its purpose (seed 001 §3, §11).
	if _, err := svc.Accounts.GiveGrant(asInitiator, accounts.GrantInput{AccountID: official.ID, Kind: mashang.GrantTracer,
		ExpiresAt: time.Now().AddDate(0, 0, 30), Reason: "演示：流调溯源", CaseNumber: "朝阳流调〔2026〕1号",
		RegionID: places.district.ID}); err != nil {
		return nil, nil, fmt.Errorf("demo grant: %w", err)
	}
	if _, err := svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleGridWorker, ScopeRegionID: places.community.ID,
		Holder: accounts.Holder{Name: "社区网格员", Phone: DemoGridPhone, Password: DemoInitiatorPassword}}); err != nil {
		return nil, nil, fmt.Errorf("demo grid worker: %w", err)
	}
	scannerID, err := demoResidentID(20)
	if err != nil {
		return nil, nil, err
	}
	scanner, err = svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: places.entrance.ID,
		Holder: accounts.Holder{Name: "医院门岗扫码员", Phone: DemoScannerPhone, IDNumber: scannerID, Password: DemoInitiatorPassword}})
	if err != nil {
		return nil, nil, fmt.Errorf("demo scanner: %w", err)
	}
	// seed 001 §7: the scanner's own code was registered (green) with the
	// account (accounts.HolderCodes, issue 11 point 16).
	return official, scanner, nil
}

// registerDemoResidents registers the residents and returns their scans at
// the hospital entrance, plus the MANUAL scan of an elder without a code,
// and the resident the official will quarantine.
func registerDemoResidents(ctx context.Context, svc *Services, places demoPlaces) (items []scans.Item, quarantined int, err error) {
	lat, lng := *places.entrance.Latitude, *places.entrance.Longitude
	for i, name := range demoResidents {
		id, err := demoResidentID(i)
		if err != nil {
			return nil, 0, err
		}
		p, err := svc.Persons.Register(ctx, persons.RegisterInput{Name: name, IDType: "RESIDENT_ID", IDNumber: id,
			Phone: fmt.Sprintf("1380000%04d", i), ResidenceRegionID: places.community.ID})
		if err != nil {
			return nil, 0, fmt.Errorf("demo resident: %w", err)
		}
		if i == 3 {
			quarantined = p.ID
		}
		temp := 36.2 + float64(i%6)/10
		if i == 5 {
			temp = 37.9 // a fever: YELLOW and an alert (seed 001 §4)
		}
		it, err := demoScan(svc, p, name, id)
		if err != nil {
			return nil, 0, err
		}
		it.ClientID, it.SiteID, it.Temperature, it.DeviceLat, it.DeviceLng = fmt.Sprintf("demo-%02d", i), places.entrance.ID, temp, &lat, &lng
		items = append(items, it)
	}
	elderID, err := demoResidentID(30)
	if err != nil {
		return nil, 0, err
	}
	// seed 001 §5: an elderly person without a smartphone, registered by hand.
	items = append(items, scans.Item{ClientID: "demo-manual", SiteID: places.entrance.ID, Method: door.MethodManual,
		Manual: &scans.ManualPerson{Name: "王大爷", IDType: "RESIDENT_ID", IDNumber: elderID}, Temperature: 36.5, DeviceLat: &lat, DeviceLng: &lng})
	return items, quarantined, nil
}

// demoScan is how the resident presents themselves at the door: their
// code scanned (SCAN_CODE; a door never names a person by id, issue 11),
// or without a signing key the code shown with the identity typed in,
// which the platform takes as the scanner's attestation.
func demoScan(svc *Services, p *ent.Person, name, id string) (scans.Item, error) {
	if svc.Signer == nil {
		return scans.Item{Method: door.MethodShowCode, Colour: p.Colour.String(),
			Manual: &scans.ManualPerson{Name: name, IDType: "RESIDENT_ID", IDNumber: id}}, nil
	}
	colour, err := token.ParseColour(p.Colour.String())
	if err != nil {
		return scans.Item{}, fmt.Errorf("demo code: %w", err)
	}
	tok, _, err := svc.Signer.Issue(token.KindPerson, uint64(p.ID), colour, codes.DefaultPersonTTL*time.Minute, time.Now())
	if err != nil {
		return scans.Item{}, fmt.Errorf("demo code: %w", err)
	}
	return scans.Item{Method: door.MethodScanCode, Token: tok}, nil
}

// recordDemoScans records the items as the hospital's scanner would.
func recordDemoScans(ctx context.Context, svc *Services, scanner *ent.Account, items []scans.Item) (int, error) {
	v := &mashang.Viewer{UserID: scanner.HolderID, AccountID: scanner.ID, Role: mashang.RoleOrdinary,
		ScopePath: scanner.ScopePath, AccountPath: scanner.AccountPath}
	res, err := svc.Scans.Record(ctx, v, items)
	if err != nil {
		return 0, fmt.Errorf("demo scans: %w", err)
	}
	for _, r := range res {
		if r.Err != nil {
			return 0, fmt.Errorf("demo scan %s: %w", r.ClientID, r.Err)
		}
	}
	return len(res), nil
}
