package persons

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/testresult"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/stats"
)

// Readings applies on-site temperatures to many persons within one
// transaction, the fast path of recordScans: the persons are loaded once,
// each reading is applied in order in memory (so the colour a scan is
// decided on is the colour after its own reading, seed 001 §4 黄色 …
// 经任意扫码员测温登记后可恢复绿色码), a colour change is written through the
// same path as RecordTemperature (ColourChange row, the hook), and the
// readings that matter are stored in one statement by Flush.
//
// A person's stored last_temperature is the latest reading that changed
// their temperature status (normal ↔ at or above Threshold) or their
// colour; a normal reading of a person whose stored reading is normal (or
// absent) is kept in the scan only. This keeps the common case — a green
// person with a normal temperature — free of a write to persons.
type Readings struct {
	// Threshold is the fever line in °C: the rule set's params.fever_c,
	// else door.DefaultFeverThreshold (seed 001 §4: 体温≥37.3摄氏度).
	Threshold float64

	s       *Service
	c       *ent.Client
	prg     *health.Program
	version int
	now     time.Time
	persons map[int]*ent.Person
	valid   map[int]bool
	dirty   map[int]bool
	keys    []string       // the key-area list in force
	codes   map[int]string // residence region codes by region id, when a rule reads them
	// counted are the colour changes of the batch, applied to the rollups
	// by Flush in the batch's transaction (one Apply, issue 12).
	counted stats.Delta
}

// Readings loads the persons with the given ids for a batch of readings.
// Unknown ids are simply absent (Person returns nil for them).
func (s *Service) Readings(ctx context.Context, c *ent.Client, ids []int, now time.Time) (*Readings, error) {
	prg, version, err := s.activeProgram(ctx, c)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Readings")
	}
	threshold := door.DefaultFeverThreshold
	if f, ok := prg.Param("fever_c"); ok {
		threshold = f // the rule set's own fever line (DESIGN §6: thresholds are configuration)
	}
	r := &Readings{Threshold: threshold, s: s, c: c, prg: prg, version: version, now: now,
		persons: make(map[int]*ent.Person, len(ids)), valid: map[int]bool{}, dirty: map[int]bool{}}
	if len(ids) == 0 {
		return r, nil
	}
	ps, err := c.Person.Query().Where(idIn(ids)).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Readings")
	}
	for _, p := range ps {
		r.persons[p.ID] = p
	}
	if err := r.loadPlaces(ctx, ps); err != nil {
		return nil, mashang.Wrap(err, "persons.Readings")
	}
	if !prg.UsesValidTest() {
		return r, nil
	}
	// One query for the valid tests of the whole batch (seed 004 §二(五)).
	var rows []struct {
		PersonID int `json:"person_id"`
	}
	err = c.TestResult.Query().Where(testresult.PersonIDIn(ids...), validTestAt(now)).
		GroupBy(testresult.FieldPersonID).Scan(ctx, &rows)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Readings")
	}
	for _, row := range rows {
		r.valid[row.PersonID] = true
	}
	return r, nil
}

// idIn is person.IDIn, as one array parameter on PostgreSQL ("id" =
// ANY($1)): a batch's 500 ids are one parameter to bind and no list of 500
// to parse and plan (issue 15 point 3).
func idIn(ids []int) predicate.Person {
	return func(s *sql.Selector) {
		if s.Dialect() != dialect.Postgres {
			person.IDIn(ids...)(s)
			return
		}
		arr := make(pq.Int64Array, len(ids))
		for i, id := range ids {
			arr[i] = int64(id)
		}
		s.Where(sql.P(func(b *sql.Builder) {
			b.Ident(s.C(person.FieldID)).WriteString(" = ANY(").Arg(arr).WriteString(")")
		}))
	}
}

// loadPlaces reads, once for the batch, the key-area list in force and
// (when a rule reads a region) the codes of the persons' residences.
func (r *Readings) loadPlaces(ctx context.Context, ps []*ent.Person) error {
	keys, err := r.s.keyAreas(ctx, r.c)
	if err != nil {
		return err
	}
	r.keys, r.codes = keys, map[int]string{}
	if !r.prg.UsesRegion() {
		return nil
	}
	var ids []int
	for _, p := range ps {
		if p.ResidenceRegionID != nil {
			ids = append(ids, *p.ResidenceRegionID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	regions, err := r.c.Region.Query().Where(region.IDIn(ids...)).Select(region.FieldID, region.FieldCode).All(ctx)
	if err != nil {
		return err
	}
	for _, g := range regions {
		r.codes[g.ID] = g.Code
	}
	return nil
}

// FeverC is the fever line of the rule set in force (params.fever_c), if
// it has one.
func (r *Readings) FeverC() (float64, bool) { return r.prg.Param("fever_c") }

// Person returns the loaded person (with readings applied so far), or nil.
func (r *Readings) Person(id int) *ent.Person { return r.persons[id] }

// Add adds a registered person (e.g. one registered in the same batch).
func (r *Readings) Add(p *ent.Person) { r.persons[p.ID] = p }

// Apply records a reading of person id at time at and returns the person's
// colour afterwards. A reading older than the stored one (a late upload)
// changes nothing.
func (r *Readings) Apply(ctx context.Context, id int, celsius float64, at time.Time) (string, error) {
	p := r.persons[id]
	if p == nil {
		return "", fmt.Errorf("persons: person %d not loaded", id)
	}
	if p.LastTemperatureAt != nil && at.Before(*p.LastTemperatureAt) {
		return p.Colour.String(), nil
	}
	temp, when := celsius, at
	wasFever := p.LastTemperature != nil && *p.LastTemperature >= r.Threshold
	p.LastTemperature, p.LastTemperatureAt = &temp, &when
	if (celsius >= r.Threshold) != wasFever {
		r.dirty[id] = true
	}
	f := factsOf(p, r.valid[id], r.now)
	f.KeyAreas, f.Visits = r.keys, visitsOf(p)
	if p.ResidenceRegionID != nil {
		f.Region = r.codes[*p.ResidenceRegionID]
	}
	if _, _, changed := health.Transition(p.Colour.String(), f, r.prg); !changed {
		return p.Colour.String(), nil
	}
	// The rare case: write the change through the one path that records it.
	np, _, err := r.s.reevaluate(ctx, r.c, p, temperatureWhy(celsius, r.Threshold), nil, false, r.now, &r.counted)
	if err != nil {
		return "", mashang.Wrap(err, "persons.Apply")
	}
	np.LastTemperature, np.LastTemperatureAt = &temp, &when
	r.persons[id] = np
	r.dirty[id] = true
	return np.Colour.String(), nil
}

// TakeCounted returns the colour changes counted so far and forgets them:
// a caller that applies them with more of its own (a batch of scans, in one
// statement) takes them before Flush, which then applies none.
func (r *Readings) TakeCounted() *stats.Delta {
	d := r.counted
	r.counted = stats.Delta{}
	return &d
}

// Flush stores the last reading of every person read, in one statement.
func (r *Readings) Flush(ctx context.Context) error {
	if err := r.s.Rollups.Apply(ctx, r.c, &r.counted); err != nil {
		return mashang.Wrap(err, "persons.Flush")
	}
	r.counted = stats.Delta{}
	if len(r.dirty) == 0 {
		return nil
	}
	d, err := r.s.dialect(ctx)
	if err != nil {
		return mashang.Wrap(err, "persons.Flush")
	}
	pg := d == dialect.Postgres
	var b strings.Builder
	args := make([]any, 0, 3*len(r.dirty))
	if pg {
		b.WriteString(`UPDATE "persons" AS p SET "last_temperature" = v.column2, "last_temperature_at" = v.column3 FROM (VALUES `)
	} else {
		b.WriteString(`UPDATE "persons" SET "last_temperature" = v.column2, "last_temperature_at" = v.column3 FROM (VALUES `)
	}
	i := 0
	for id := range r.dirty {
		p := r.persons[id]
		if i > 0 {
			b.WriteByte(',')
		}
		if pg {
			fmt.Fprintf(&b, "(CAST($%d AS BIGINT), CAST($%d AS DOUBLE PRECISION), CAST($%d AS TIMESTAMPTZ))", 3*i+1, 3*i+2, 3*i+3)
		} else {
			b.WriteString("(?, ?, ?)")
		}
		args = append(args, id, *p.LastTemperature, *p.LastTemperatureAt)
		i++
	}
	if pg {
		b.WriteString(`) AS v WHERE p."id" = v.column1`)
	} else {
		b.WriteString(`) AS v WHERE "persons"."id" = v.column1`)
	}
	if _, err := r.c.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("persons: store readings: %w", err)
	}
	r.dirty = map[int]bool{}
	return nil
}

// dialect is the SQL dialect of the database: Service.Dialect when set,
// else found once by asking the database (outside any transaction, as a
// failed statement would abort a PostgreSQL transaction).
func (s *Service) dialect(ctx context.Context) (string, error) {
	if s.Dialect != "" {
		return s.Dialect, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.probed != "" {
		return s.probed, nil
	}
	rows, err := s.Client.QueryContext(ctx, "SELECT sqlite_version()")
	if err == nil {
		rows.Close()
		s.probed = dialect.SQLite
	} else if strings.Contains(err.Error(), "sqlite_version") {
		s.probed = dialect.Postgres
	} else {
		return "", mashang.Wrap(err, "persons.dialect")
	}
	return s.probed, nil
}

// RecentTestsAtScans reports, for each scan of scans (scans the caller has
// already reached through the scope filter), whether its person had a valid
// test in the 7 days before the scan (validTestAt the scan's server time;
// seed 004 §二(五) 7天内核酸检测阴性…或血清…IgG抗体检测阳性); nil for a scan
// that names no registered person or shows no colour (their code was not
// presented: the door learns nothing more of them than of their colour).
// One query serves a whole page of scans (the graph's loader batches it).
func (s *Service) RecentTestsAtScans(ctx context.Context, scans []*ent.Scan) ([]*bool, error) {
	out := make([]*bool, len(scans))
	var ids []int
	var from, to time.Time
	for _, sc := range scans {
		if sc.PersonID == nil || sc.Colour == nil {
			continue
		}
		ids = append(ids, *sc.PersonID)
		if from.IsZero() || sc.ServerTime.Before(from) {
			from = sc.ServerTime
		}
		if sc.ServerTime.After(to) {
			to = sc.ServerTime
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	// The valid tests of these persons for the earliest scan, the latest and
	// everything between; each scan then keeps those valid at its own time.
	tests, err := database.ClientFrom(ctx, s.Client).TestResult.Query().
		Where(testresult.PersonIDIn(ids...), validTestKind(), validTestBetween(from.Add(-validTestAge), to)).
		All(asSystem(ctx))
	if err != nil {
		return nil, mashang.Wrap(err, "persons.RecentTestsAtScans")
	}
	for i, sc := range scans {
		if sc.PersonID == nil || sc.Colour == nil {
			continue
		}
		ok := slices.ContainsFunc(tests, func(t *ent.TestResult) bool {
			return t.PersonID == *sc.PersonID && t.SampledAt.After(sc.ServerTime.Add(-validTestAge)) && !t.SampledAt.After(sc.ServerTime)
		})
		out[i] = &ok
	}
	return out, nil
}
