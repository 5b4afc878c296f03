package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/scans"
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
	district, err := db.Region.Query().Where(region.Code("220104")).Only(ctx)
	if err != nil {
		return fmt.Errorf("demo people: 朝阳区 is not in the demo data: %w", err)
	}
	lo, hi := tree.Bounds(district.Path)
	community, err := db.Region.Query().Where(region.LevelEQ(region.LevelCOMMUNITY), region.PathGTE(lo), region.PathLT(hi)).
		Order(ent.Asc(region.FieldPath)).First(ctx)
	if err != nil {
		return fmt.Errorf("demo people: no community in 朝阳区: %w", err)
	}
	entrance, err := db.Site.Query().Where(site.Enabled(true), site.LatitudeNotNil(), site.PathGTE(lo), site.PathLT(hi), site.NameContains("医院")).
		Order(ent.Asc(site.FieldPath)).First(ctx)
	if err != nil {
		return fmt.Errorf("demo people: no enabled hospital site in 朝阳区: %w", err)
	}
	asInitiator := mashang.NewContextWithViewer(ctx, &mashang.Viewer{UserID: initiator.HolderID, AccountID: initiator.ID,
		Role: mashang.RoleInitiator, ScopePath: initiator.ScopePath, AccountPath: initiator.AccountPath})

	idOf := func(n int) (string, error) {
		first17 := fmt.Sprintf("220104%s%03d", time.Date(1960+n*3, time.Month(1+n%12), 1+n, 0, 0, 0, 0, time.UTC).Format("20060102"), 100+n)
		d, err := validate.ResidentIDCheckDigit(first17)
		return first17 + string(d), err
	}
	official, err := svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleOfficial, ScopeRegionID: district.ID,
		Holder: accounts.Holder{Name: "朝阳区卫健局值班员", Phone: DemoOfficialPhone, Password: DemoInitiatorPassword}})
	if err != nil {
		return fmt.Errorf("demo official: %w", err)
	}
	if _, err := svc.Accounts.GiveGrant(asInitiator, official.ID, mashang.GrantTracer, "", time.Now().AddDate(0, 0, 30), "演示：流调溯源"); err != nil {
		return fmt.Errorf("demo grant: %w", err)
	}
	if _, err := svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleGridWorker, ScopeRegionID: community.ID,
		Holder: accounts.Holder{Name: "社区网格员", Phone: DemoGridPhone, Password: DemoInitiatorPassword}}); err != nil {
		return fmt.Errorf("demo grid worker: %w", err)
	}
	scannerID, err := idOf(20)
	if err != nil {
		return err
	}
	scanner, err := svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: entrance.ID,
		Holder: accounts.Holder{Name: "医院门岗扫码员", Phone: DemoScannerPhone, IDNumber: scannerID, Password: DemoInitiatorPassword}})
	if err != nil {
		return fmt.Errorf("demo scanner: %w", err)
	}
	// seed 001 §7: the scanner's own code is registered (and green).
	if _, err := svc.Persons.Register(ctx, persons.RegisterInput{Name: "医院门岗扫码员", IDType: "RESIDENT_ID", IDNumber: scannerID, ResidenceRegionID: community.ID}); err != nil {
		return fmt.Errorf("demo scanner's code: %w", err)
	}

	var items []scans.Item
	var quarantined int
	lat, lng := *entrance.Latitude, *entrance.Longitude
	for i, name := range demoResidents {
		id, err := idOf(i)
		if err != nil {
			return err
		}
		p, err := svc.Persons.Register(ctx, persons.RegisterInput{Name: name, IDType: "RESIDENT_ID", IDNumber: id,
			Phone: fmt.Sprintf("1380000%04d", i), ResidenceRegionID: community.ID})
		if err != nil {
			return fmt.Errorf("demo resident: %w", err)
		}
		if i == 3 {
			quarantined = p.ID
		}
		temp := 36.2 + float64(i%6)/10
		if i == 5 {
			temp = 37.9 // a fever: YELLOW and an alert (seed 001 §4)
		}
		items = append(items, scans.Item{ClientID: fmt.Sprintf("demo-%02d", i), SiteID: entrance.ID, Method: door.MethodShowCode,
			PersonID: p.ID, Colour: p.Colour.String(), Temperature: temp, DeviceLat: &lat, DeviceLng: &lng})
	}
	elderID, err := idOf(30)
	if err != nil {
		return err
	}
	// seed 001 §5: an elderly person without a smartphone, registered by hand.
	items = append(items, scans.Item{ClientID: "demo-manual", SiteID: entrance.ID, Method: door.MethodManual,
		Manual: &scans.ManualPerson{Name: "王大爷", IDType: "RESIDENT_ID", IDNumber: elderID}, Temperature: 36.5, DeviceLat: &lat, DeviceLng: &lng})
	v := &mashang.Viewer{UserID: scanner.HolderID, AccountID: scanner.ID, Role: mashang.RoleOrdinary,
		ScopePath: scanner.ScopePath, AccountPath: scanner.AccountPath}
	res, err := svc.Scans.Record(ctx, v, items)
	if err != nil {
		return fmt.Errorf("demo scans: %w", err)
	}
	for _, r := range res {
		if r.Err != nil {
			return fmt.Errorf("demo scan %s: %w", r.ClientID, r.Err)
		}
	}
	ends := time.Now().AddDate(0, 0, 14)
	if _, err := svc.Persons.SetRiskFor(ctx, quarantined, "QUARANTINED", &ends, official.ID); err != nil {
		return fmt.Errorf("demo quarantine: %w", err)
	}
	fmt.Fprintf(out, "demo people: %d residents and %d scans at %s; logins (password %s): official %s (TRACER), grid worker %s, scanner %s\n",
		len(demoResidents)+1, len(res), entrance.Name, DemoInitiatorPassword, DemoOfficialPhone, DemoGridPhone, DemoScannerPhone)
	return nil
}
