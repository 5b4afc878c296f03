package persons

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/healthdeclaration"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/schema"
	"github.com/mashang/mashang/ent/testresult"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/validate"
)

// RiskReleased is the official's “released” (解除): it means risk NONE.
const RiskReleased = "RELEASED"

// Reevaluate applies the rule set in force to p as stored (plus whether it
// has a valid test within 7 days) through health.Transition, and writes the
// new colour with a ColourChange row (cause: the trigger given by the
// caller, then the rule that decided) when the colour changed. RED is kept
// unless the change comes from SetRisk (seed 001 §4 红色). client is the
// client to write with (a transaction's, usually); the context's
// transaction wins when there is one. The system acts: no caller is
// checked.
func (s *Service) Reevaluate(ctx context.Context, client *ent.Client, p *ent.Person, cause string, byAccountID *int) (*ent.Person, error) {
	var out *ent.Person
	err := database.InTx(ctx, s.client(client), func(ctx context.Context, c *ent.Client) error {
		var err error
		out, _, err = s.reevaluate(ctx, c, p, why{cause, stats.CauseRules}, byAccountID, false, s.now(), nil)
		return err
	})
	return out, mashang.Wrap(err, "persons.Reevaluate")
}

// why is what made the platform re-evaluate a person: the trigger's text,
// recorded with a colour change, and its class (stats.CauseRisk, …),
// which the statistics count the change by.
type why struct {
	trigger, class string
}

// reevaluate re-evaluates p and records a colour change. The change is
// counted in the rollups (stats.ColourChanges): added to batch when given
// (the caller applies it in the same transaction, Readings.Flush), else
// applied at once with c.
func (s *Service) reevaluate(ctx context.Context, c *ent.Client, p *ent.Person, w why, by *int, official bool, now time.Time, batch *stats.Delta) (*ent.Person, bool, error) {
	prg, version, err := s.activeProgram(ctx, c)
	if err != nil {
		return nil, false, mashang.Wrap(err, "persons.reevaluate")
	}
	valid, err := s.ValidTestWithin7Days(ctx, c, p.ID, now)
	if err != nil {
		return nil, false, mashang.Wrap(err, "persons.reevaluate")
	}
	f := factsOf(p, valid, now)
	f.OfficialRiskChange = official
	if err := s.placeFacts(ctx, c, prg, p, &f); err != nil {
		return nil, false, mashang.Wrap(err, "persons.reevaluate")
	}
	colour, rule, changed := health.Transition(p.Colour.String(), f, prg)
	if !changed {
		if p.RuleVersion == version {
			return p, false, nil
		}
		p, err = c.Person.UpdateOne(p).SetRuleVersion(version).Save(ctx)
		return p, false, mashang.Wrap(err, "persons.reevaluate")
	}
	cause := rule
	if trigger := strings.TrimSpace(w.trigger); trigger != "" {
		cause = trigger + "; " + rule
	}
	if r := []rune(cause); len(r) > 500 {
		cause = string(r[:500])
	}
	cc := c.ColourChange.Create().SetPersonID(p.ID).
		SetFromColour(scenario.Colour(p.Colour)).SetToColour(scenario.Colour(colour)).
		SetCause(cause).SetRuleVersion(version).SetAt(now).
		SetCauseClass(w.class).SetResidencePath(p.ResidencePath)
	if by != nil {
		cc.SetByAccountID(*by)
	}
	if _, err := cc.Save(ctx); err != nil {
		return nil, false, mashang.Wrap(err, "persons.reevaluate")
	}
	from := p.Colour.String()
	p, err = c.Person.UpdateOne(p).SetColour(scenario.Colour(colour)).SetRuleVersion(version).Save(ctx)
	if err != nil {
		return nil, false, mashang.Wrap(err, "persons.reevaluate")
	}
	if err := s.countColourChange(ctx, c, p.ResidencePath, colour, w.class, now, batch); err != nil {
		return nil, false, err
	}
	if s.OnColourChange != nil {
		if err := s.OnColourChange(ctx, c, p, from, colour, cause); err != nil {
			return nil, false, mashang.Wrap(err, "persons.reevaluate")
		}
	}
	return p, true, nil
}

// countColourChange counts a colour change in the rollups (issue 12): into
// batch when given, else at once with c (the change's transaction).
func (s *Service) countColourChange(ctx context.Context, c *ent.Client, residence, to, class string, at time.Time, batch *stats.Delta) error {
	if batch != nil {
		stats.AddColourChange(batch, residence, to, class, at)
		return nil
	}
	var d stats.Delta
	stats.AddColourChange(&d, residence, to, class, at)
	return mashang.Wrap(s.Rollups.Apply(ctx, c, &d), "persons.countColourChange")
}

// factsOf is what the rules see of a person as stored.
func factsOf(p *ent.Person, validTest bool, now time.Time) health.Facts {
	return health.Facts{
		Risk:                 p.Risk.String(),
		QuarantineEnds:       p.QuarantineEnds,
		Symptomatic:          p.Symptomatic,
		LastTemperature:      p.LastTemperature,
		LastTemperatureAt:    p.LastTemperatureAt,
		ValidTestWithin7Days: validTest,
		Now:                  now,
	}
}

// SetRisk is an official's change of a person's risk data (seed 001 §4
// 红色: 依照我省防疫期间相关规定实施人员管控和“吉祥码”健康状态色调整 — only an
// official moves a person out of RED, and only through here), by the viewer
// in ctx. risk is NONE, CLOSE_CONTACT, QUARANTINED, SUSPECTED, CONFIRMED or
// RELEASED (= NONE). quarantineEnds is stored as given (nil: no end known,
// which keeps a close contact ORANGE). The person is re-evaluated at once;
// a colour change is recorded with the viewer's account.
// SECURITY: the viewer needs person/setrisk at the person's residence
// (checked): officials within their region, the INITIATOR anywhere.
func (s *Service) SetRisk(ctx context.Context, personID int, risk string, quarantineEnds *time.Time) (*ent.Person, error) {
	var out *ent.Person
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		v, p, err := s.checked(ctx, c, personID, authz.ObjPerson, authz.ActSetRisk)
		if err != nil {
			return err
		}
		out, err = s.setRisk(asSystem(ctx), c, p, risk, quarantineEnds, v.AccountID, stats.CauseRisk)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.SetRisk")
	}
	return out, nil
}

// SetRiskFor is SetRisk by the system for the account byAccountID, whose
// right was checked when it handed the work over: a control-list job, whose
// import controllist.Service.Start checked and whose rows it keeps within
// the job's scope, or the demo seed. No viewer is asked; ctx must be the
// system's (a job's, or authz.AsSystem), never a request's.
func (s *Service) SetRiskFor(ctx context.Context, personID int, risk string, quarantineEnds *time.Time, byAccountID int) (*ent.Person, error) {
	return s.setRiskFor(ctx, personID, risk, quarantineEnds, byAccountID, stats.CauseRisk)
}

// SetRiskForList is SetRiskFor for a control-list job: its colour changes
// are counted as the control list's (stats.CauseControlList).
func (s *Service) SetRiskForList(ctx context.Context, personID int, risk string, quarantineEnds *time.Time, byAccountID int) (*ent.Person, error) {
	return s.setRiskFor(ctx, personID, risk, quarantineEnds, byAccountID, stats.CauseControlList)
}

func (s *Service) setRiskFor(ctx context.Context, personID int, risk string, quarantineEnds *time.Time, byAccountID int, class string) (*ent.Person, error) {
	if byAccountID <= 0 {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Only an official may change a person's risk.")
	}
	var out *ent.Person
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		p, err := s.get(ctx, c, personID)
		if err != nil {
			return err
		}
		out, err = s.setRisk(ctx, c, p, risk, quarantineEnds, byAccountID, class)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.SetRiskFor")
	}
	return out, nil
}

// setRisk writes the risk of p and re-evaluates it, recording byAccountID.
func (s *Service) setRisk(ctx context.Context, c *ent.Client, p *ent.Person, risk string, quarantineEnds *time.Time, byAccountID int, class string) (*ent.Person, error) {
	if risk == RiskReleased {
		risk = health.RiskNone
	}
	if err := person.RiskValidator(person.Risk(risk)); err != nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "risk", "Risk %q is not one of NONE, CLOSE_CONTACT, QUARANTINED, SUSPECTED, CONFIRMED, RELEASED.", risk)
	}
	upd := c.Person.UpdateOne(p).SetRisk(person.Risk(risk))
	if quarantineEnds != nil {
		upd.SetQuarantineEnds(*quarantineEnds)
	} else {
		upd.ClearQuarantineEnds()
	}
	p, err := upd.Save(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.setRisk")
	}
	trigger := "risk set to " + risk + " by an official"
	if quarantineEnds != nil {
		trigger += ", quarantine ends " + quarantineEnds.In(Zone).Format("2006-01-02 15:04")
	}
	out, _, err := s.reevaluate(ctx, c, p, why{trigger, class}, &byAccountID, true, s.now(), nil)
	return out, mashang.Wrap(err, "persons.setRisk")
}

// RecordTemperature stores an on-site reading by any scanner and
// re-evaluates the person: ≥ the fever threshold makes a GREEN person
// YELLOW, a normal reading brings a YELLOW person back to GREEN (seed 001 §4
// 黄色: 现场测温异常（体温≥37.3摄氏度）; 经任意扫码员测温登记后可恢复绿色码). A
// reading taken before the stored one (a late upload) is ignored. The
// caller (scans) has checked its own caller: no viewer is asked here.
func (s *Service) RecordTemperature(ctx context.Context, client *ent.Client, personID int, celsius float64, at time.Time) (*ent.Person, error) {
	if err := validate.Temperature(celsius); err != nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "temperature", "%v", err)
	}
	if at.IsZero() {
		at = s.now()
	}
	var out *ent.Person
	err := database.InTx(ctx, s.client(client), func(ctx context.Context, c *ent.Client) error {
		p, err := s.get(ctx, c, personID)
		if err != nil {
			return err
		}
		if p.LastTemperatureAt != nil && at.Before(*p.LastTemperatureAt) {
			out = p
			return nil
		}
		if p, err = c.Person.UpdateOne(p).SetLastTemperature(celsius).SetLastTemperatureAt(at).Save(ctx); err != nil {
			return err
		}
		w, err := s.temperatureWhy(ctx, c, celsius)
		if err != nil {
			return err
		}
		out, _, err = s.reevaluate(ctx, c, p, w, nil, false, s.now(), nil)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.RecordTemperature")
	}
	return out, nil
}

// AddTestResult records a nucleic-acid (PCR) or antibody (IgG) test for
// the viewer in ctx and re-evaluates the person (a rule set may look at
// person.valid_test_within_7_days). sampledAt may not lie in the future.
// SECURITY: the viewer needs person/test at the person's residence
// (checked): results come from the health authorities, officials within
// their region and the INITIATOR anywhere.
func (s *Service) AddTestResult(ctx context.Context, personID int, kind, result, source string, sampledAt time.Time) (*ent.TestResult, error) {
	now := s.now()
	var out *ent.TestResult
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		_, p, err := s.checked(ctx, c, personID, authz.ObjPerson, authz.ActTest)
		if err != nil {
			return err
		}
		if source, err = checkTest(kind, result, source, sampledAt, now); err != nil {
			return err
		}
		ctx = asSystem(ctx)
		out, err = c.TestResult.Create().SetPersonID(p.ID).SetKind(testresult.Kind(kind)).
			SetResult(testresult.Result(result)).SetSource(source).SetSampledAt(sampledAt).
			SetCreatedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		_, _, err = s.reevaluate(ctx, c, p, why{fmt.Sprintf("%s test %s recorded", kind, result), stats.CauseTest}, nil, false, now, nil)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.AddTestResult")
	}
	return out, nil
}

// temperatureWhy is the trigger of an on-site reading: a fever at or above
// the rule set's fever line (params.fever_c, else the default of seed 001
// §4), a normal temperature below it.
func (s *Service) temperatureWhy(ctx context.Context, c *ent.Client, celsius float64) (why, error) {
	prg, _, err := s.activeProgram(ctx, c)
	if err != nil {
		return why{}, mashang.Wrap(err, "persons.temperatureWhy")
	}
	threshold := door.DefaultFeverThreshold
	if f, ok := prg.Param("fever_c"); ok {
		threshold = f
	}
	return temperatureWhy(celsius, threshold), nil
}

func temperatureWhy(celsius, threshold float64) why {
	class := stats.CauseNormalTemperature
	if celsius >= threshold {
		class = stats.CauseFever
	}
	return why{fmt.Sprintf("on-site temperature %.1f °C", celsius), class}
}

// checkTest checks a test result's fields and returns its source trimmed.
func checkTest(kind, result, source string, sampledAt, now time.Time) (string, error) {
	if err := testresult.KindValidator(testresult.Kind(kind)); err != nil {
		return "", mashang.FieldErrorf(mashang.EINVALID, "kind", "Test kind %q is not PCR or ANTIBODY.", kind)
	}
	if err := testresult.ResultValidator(testresult.Result(result)); err != nil {
		return "", mashang.FieldErrorf(mashang.EINVALID, "result", "Test result %q is not NEGATIVE or POSITIVE.", result)
	}
	source = strings.TrimSpace(source)
	if source == "" || len([]rune(source)) > 200 {
		return "", mashang.FieldErrorf(mashang.EINVALID, "source", "Name the laboratory or platform the result comes from (at most 200 characters).")
	}
	if sampledAt.IsZero() || sampledAt.After(now.Add(5*time.Minute)) {
		return "", mashang.FieldErrorf(mashang.EINVALID, "sampledAt", "Give when the sample was taken; it cannot be in the future.")
	}
	return source, nil
}

// ValidTestWithin7Days reports whether the person has a test valid at now
// (validTestAt).
func (s *Service) ValidTestWithin7Days(ctx context.Context, client *ent.Client, personID int, now time.Time) (bool, error) {
	c := database.ClientFrom(ctx, s.client(client))
	return c.TestResult.Query().Where(testresult.PersonID(personID), validTestAt(now)).Exist(ctx)
}

// validTestAt matches the tests valid at now: a negative PCR test or a
// positive IgG antibody test sampled in the 7 days up to now (seed 004
// §二(五): 7天内核酸检测阴性证明或血清病毒特异性IgG抗体检测阳性). Readings
// asks it for a whole batch, ValidTestWithin7Days for one person.
func validTestAt(now time.Time) predicate.TestResult {
	return testresult.And(validTestBetween(now.Add(-validTestAge), now), validTestKind())
}

// validTestAge is how long a test counts (seed 004 §二(五): 7天内).
const validTestAge = 7 * 24 * time.Hour

// validTestBetween matches tests sampled after from and at or before to.
func validTestBetween(from, to time.Time) predicate.TestResult {
	return testresult.And(testresult.SampledAtGT(from), testresult.SampledAtLTE(to))
}

// validTestKind matches the results that count: a negative PCR test or a
// positive IgG antibody test.
func validTestKind() predicate.TestResult {
	return testresult.Or(
		testresult.And(testresult.KindEQ(testresult.KindPCR), testresult.ResultEQ(testresult.ResultNEGATIVE)),
		testresult.And(testresult.KindEQ(testresult.KindANTIBODY), testresult.ResultEQ(testresult.ResultPOSITIVE)),
	)
}

// MaxDeclarationsPerDay bounds a person's check-ins and corrections of
// one day.
const MaxDeclarationsPerDay = 10

// VisitWindowDays is how far back declared visits are kept as facts, and
// how old a declared visit may be.
const VisitWindowDays = 30

// DeclareHealth records the person's daily declaration (每日健康打卡, seed
// 001 §1), in the province's time zone (Zone). A second one the same day is
// a correction (morning normal, afternoon fever): both are kept, numbered
// by revision, and the latest counts (issue 11, point 9); at most
// MaxDeclarationsPerDay a day. The declaration sets Symptomatic: non-empty
// symptoms set it, a later declaration without symptoms clears it (seed 001
// §4 橙色: 若本人无新冠肺炎症状…). The self-measured temperature is stored
// with the declaration only; YELLOW follows on-site readings (现场测温). The
// visits (regions by code, with days) of the latest declaration of each of
// the last VisitWindowDays days become the person's visits, which rules
// read as person.visited. The person is re-evaluated.
// SECURITY: the caller acts for the person of ref only as Holder allows
// (the person's own token, or a resident of an official's or grid worker's
// scope).
func (s *Service) DeclareHealth(ctx context.Context, ref Ref, d Declaration) (*ent.HealthDeclaration, error) {
	holder, err := s.Holder(ctx, ref)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.DeclareHealth")
	}
	now := s.now()
	clean, travel, visits, err := d.check(now)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.DeclareHealth")
	}
	temperature := d.Temperature
	ctx = asSystem(ctx) // the holder is settled: the system records the declaration
	day := now.In(Zone).Format("2006-01-02")
	var out *ent.HealthDeclaration
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		p, err := s.get(ctx, c, holder.ID)
		if err != nil {
			return err
		}
		n, err := c.HealthDeclaration.Query().Where(healthdeclaration.PersonID(p.ID), healthdeclaration.Day(day)).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxDeclarationsPerDay {
			return mashang.Errorf(mashang.ERATELIMITED, "At most %d declarations a day; declare again tomorrow.", MaxDeclarationsPerDay)
		}
		create := c.HealthDeclaration.Create().SetPersonID(p.ID).SetDay(day).SetRevision(n + 1).
			SetTravel(travel).SetVisits(visits).SetCreatedAt(now)
		if len(clean) > 0 {
			create.SetSymptoms(clean)
		}
		if temperature != nil {
			create.SetTemperature(*temperature)
		}
		if out, err = create.Save(ctx); err != nil {
			if ent.IsConstraintError(err) {
				return mashang.Errorf(mashang.ECONFLICT, "Another declaration for %s was made meanwhile; declare again.", day)
			}
			return err
		}
		if p, err = s.applyDeclaration(ctx, c, p, len(clean) > 0, now); err != nil {
			return err
		}
		trigger := "daily declaration without symptoms"
		if len(clean) > 0 {
			trigger = "daily declaration with symptoms"
		}
		if n > 0 {
			trigger = "corrected " + trigger
		}
		_, _, err = s.reevaluate(ctx, c, p, why{trigger, stats.CauseDeclaration}, nil, false, now, nil)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.DeclareHealth")
	}
	return out, nil
}

// applyDeclaration stores on p what its latest declaration says: whether
// it is symptomatic, and the visits of the latest declaration of each day
// within VisitWindowDays (oldest day first).
func (s *Service) applyDeclaration(ctx context.Context, c *ent.Client, p *ent.Person, symptomatic bool, now time.Time) (*ent.Person, error) {
	since := now.In(Zone).AddDate(0, 0, -VisitWindowDays).Format("2006-01-02")
	rows, err := c.HealthDeclaration.Query().
		Where(healthdeclaration.PersonID(p.ID), healthdeclaration.DayGTE(since)).
		Order(ent.Asc(healthdeclaration.FieldDay), ent.Desc(healthdeclaration.FieldRevision)).
		Select(healthdeclaration.FieldDay, healthdeclaration.FieldVisits).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.applyDeclaration")
	}
	visits := []schema.Visit{}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Day] {
			continue // an earlier revision of a day already counted
		}
		seen[r.Day] = true
		visits = append(visits, r.Visits...)
	}
	p, err = c.Person.UpdateOne(p).SetSymptomatic(symptomatic).SetVisits(visits).Save(ctx)
	return p, mashang.Wrap(err, "persons.applyDeclaration")
}

// Declaration is a daily health declaration.
type Declaration struct {
	Symptoms    []string
	Temperature *float64 // self-measured, °C
	Travel      string
	Visits      []schema.Visit // region codes with days YYYY-MM-DD
}

// regionCode is a region code: a province (2 digits), city (4), district
// (6), street (9) or community (12).
var regionCode = regexp.MustCompile(`^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$`)

// MaxVisits bounds the visits of one declaration.
const MaxVisits = 50

// check returns the declaration's non-blank symptoms, its travel trimmed
// and its visits checked, or the field that is wrong.
func (d Declaration) check(now time.Time) ([]string, string, []schema.Visit, error) {
	var clean []string
	for _, sym := range d.Symptoms {
		if sym = strings.TrimSpace(sym); sym != "" {
			if len([]rune(sym)) > 100 {
				return nil, "", nil, mashang.FieldErrorf(mashang.EINVALID, "symptoms", "A symptom may have at most 100 characters.")
			}
			clean = append(clean, sym)
		}
	}
	if d.Temperature != nil {
		if err := validate.Temperature(*d.Temperature); err != nil {
			return nil, "", nil, mashang.FieldErrorf(mashang.EINVALID, "temperature", "%v", err)
		}
	}
	travel := strings.TrimSpace(d.Travel)
	if len([]rune(travel)) > 500 {
		return nil, "", nil, mashang.FieldErrorf(mashang.EINVALID, "travel", "Travel may have at most 500 characters.")
	}
	visits, err := checkVisits(d.Visits, now)
	return clean, travel, visits, err
}

// checkVisits checks the visits' region codes and days: a day within the
// last VisitWindowDays, not after today.
func checkVisits(in []schema.Visit, now time.Time) ([]schema.Visit, error) {
	if len(in) > MaxVisits {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "visits", "At most %d visits per declaration.", MaxVisits)
	}
	today := now.In(Zone).Format("2006-01-02")
	oldest := now.In(Zone).AddDate(0, 0, -VisitWindowDays).Format("2006-01-02")
	out := make([]schema.Visit, 0, len(in))
	for _, v := range in {
		v.Region = strings.TrimSpace(v.Region)
		if !regionCode.MatchString(v.Region) {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "visits", "A visited region is a region code of 2, 4, 6, 9 or 12 digits, not %q.", v.Region)
		}
		day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(v.Date), Zone)
		if err != nil {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "visits", "A visit's date is a day YYYY-MM-DD, not %q.", v.Date)
		}
		v.Date = day.Format("2006-01-02")
		if v.Date > today || v.Date < oldest {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "visits", "A visit's date must lie within the last %d days.", VisitWindowDays)
		}
		out = append(out, v)
	}
	return out, nil
}

// Declarations returns a page of person p's check-ins, newest first unless
// orderBy says otherwise, for
// the caller in ctx: with token, the person's own app (the token must be
// p's); without, the request's scoped client decides (the officials and
// grid workers of p's residence, the INITIATOR; anyone else reads none).
// SECURITY: a token answers only for its own person (another person's
// token is FORBIDDEN); without one the scope filter keeps check-ins to the
// viewer's region (TestAnOfficialOfAnotherDistrictCannotReadMyCheckIns).
func (s *Service) Declarations(ctx context.Context, p *ent.Person, token string, after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int, orderBy []*ent.HealthDeclarationOrder) (*ent.HealthDeclarationConnection, error) {
	if token != "" {
		holder, err := s.BySecret(ctx, token)
		if err != nil {
			return nil, mashang.Wrap(err, "persons.Declarations")
		}
		if holder.ID != p.ID {
			return nil, mashang.FieldErrorf(mashang.EFORBIDDEN, "personToken", "This personToken is another person's: it reads only its own check-ins.")
		}
		ctx = asSystem(ctx) // the token settled it: the system reads the person's own check-ins
	}
	if len(orderBy) == 0 {
		orderBy = []*ent.HealthDeclarationOrder{{Direction: entgql.OrderDirectionDesc, Field: ent.HealthDeclarationOrderFieldCreatedAt}}
	}
	page, err := database.ClientFrom(ctx, s.Client).HealthDeclaration.Query().Where(healthdeclaration.PersonID(p.ID)).
		Paginate(ctx, after, first, before, last, ent.WithHealthDeclarationOrder(orderBy))
	return page, mashang.Wrap(err, "persons.Declarations")
}

// SweepQuarantine re-evaluates every ORANGE person whose quarantine ended at
// or before now (seed 001 §4 橙色: 隔离期满…可自动恢复绿色码): GREEN when nothing
// else is abnormal, YELLOW on a fever, ORANGE kept with symptoms. It
// returns how many colours changed; all in one transaction. The system
// acts (the scheduler's sweep): no caller is checked.
func (s *Service) SweepQuarantine(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		due, err := c.Person.Query().Where(
			person.ColourEQ(scenario.ColourOrange),
			person.QuarantineEndsNotNil(),
			person.QuarantineEndsLTE(now),
		).Order(ent.Asc(person.FieldID)).All(ctx)
		if err != nil {
			return err
		}
		// The sweep's colour changes are counted with one Apply (issue 12).
		var counted stats.Delta
		for _, p := range due {
			_, changed, err := s.reevaluate(ctx, c, p, why{"quarantine ended", stats.CauseQuarantineEnded}, nil, false, now, &counted)
			if err != nil {
				return err
			}
			if changed {
				n++
			}
		}
		return s.Rollups.Apply(ctx, c, &counted)
	})
	if err != nil {
		return 0, mashang.Wrap(err, "persons.SweepQuarantine")
	}
	return n, nil
}
