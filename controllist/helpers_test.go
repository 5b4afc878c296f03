package controllist_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/colourchange"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// t0 is 2026-11-20 17:00 in China.
var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// clock is a settable Now, safe for the concurrent runners. It answers in
// China Standard Time, as time.Now does on a server set to it, so every
// time written must be normalised.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t.In(persons.Zone)
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// official is the submitting account's id (colour changes carry it).
const official = 42

type env struct {
	db      *database.DB
	svc     *controllist.Service
	persons *persons.Service
	box     *pii.Box
	clk     *clock
	regions map[string]*ent.Region
}

func newEnv(t *testing.T, db *database.DB) *env {
	t.Helper()
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: t0}
	ps := &persons.Service{Client: db.Client, Box: box, Now: clk.Now}
	e := &env{
		db:      db,
		persons: ps,
		box:     box,
		clk:     clk,
		regions: map[string]*ent.Region{},
		svc: &controllist.Service{
			Client: db.Client, Persons: ps, Box: box, Now: clk.Now,
			Logger: slog.New(slog.DiscardHandler),
		},
	}
	e.region("", "22", "吉林省")
	e.region("22", "2201", "长春市")
	e.region("2201", "220104", "朝阳区")
	e.region("2201", "220105", "二道区")
	return e
}

var levelByLen = map[int]region.Level{2: region.LevelPROVINCE, 4: region.LevelCITY, 6: region.LevelDISTRICT}

func (e *env) region(parent, code, name string) *ent.Region {
	parentPath := ""
	create := e.db.Client.Region.Create().SetCode(code).SetName(name).SetLevel(levelByLen[len(code)])
	if parent != "" {
		p := e.regions[parent]
		parentPath = p.Path
		create.SetParentID(p.ID)
	}
	r := create.SetPath(tree.RegionPath(parentPath, code)).SaveX(context.Background())
	e.regions[code] = r
	return r
}

// residentID builds a valid GB 11643 number from 17 digits.
func residentID(t *testing.T, first17 string) string {
	t.Helper()
	d, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(d)
}

// wrongCheck replaces the check digit by a wrong one.
func wrongCheck(id string) string {
	bad := byte('0')
	if id[17] == '0' {
		bad = '1'
	}
	return id[:17] + string(bad)
}

// idFor returns a valid resident ID born 1990-03-07 in district, sequence n.
func idFor(t *testing.T, district string, n int) string {
	t.Helper()
	return residentID(t, fmt.Sprintf("%s19900307%03d", district, n))
}

// register registers a resident of the region with code regionCode ("" for
// no residence).
func (e *env) register(t *testing.T, name, idType, id, regionCode string) *ent.Person {
	t.Helper()
	in := persons.RegisterInput{Name: name, IDType: idType, IDNumber: id}
	if regionCode != "" {
		in.ResidenceRegionID = e.regions[regionCode].ID
	}
	p, err := e.persons.Register(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *env) person(t *testing.T, idType, id string) *ent.Person {
	t.Helper()
	n, err := persons.NormalizeDocument(idType, id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.db.Client.Person.Query().Where(person.IDNumberHash(e.persons.DocumentHash(idType, n))).Only(context.Background())
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// submitRun submits a file and runs the job.
func (e *env) submitRun(t *testing.T, filename string, content []byte, scope string) *ent.ImportJob {
	t.Helper()
	ctx := context.Background()
	job, err := e.svc.Submit(ctx, filename, content, official, scope)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if job.Status != "PENDING" {
		t.Fatalf("submitted job is %s, want PENDING", job.Status)
	}
	if err := e.svc.Run(ctx, job.ID); err != nil {
		t.Fatalf("run: %v", err)
	}
	return e.job(t, job.ID)
}

func (e *env) job(t *testing.T, id int) *ent.ImportJob {
	t.Helper()
	j, err := e.db.Client.ImportJob.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func rowErrors(t *testing.T, job *ent.ImportJob) []controllist.RowError {
	t.Helper()
	errs, err := controllist.RowErrors(job)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

type counts struct{ total, processed, applied, unchanged, invalid int }

func wantCounts(t *testing.T, job *ent.ImportJob, want counts) {
	t.Helper()
	got := counts{job.TotalRows, job.ProcessedRows, job.AppliedRows, job.UnchangedRows, job.InvalidRows}
	if got != want {
		t.Fatalf("job %d counts %+v, want %+v (status %s, failure %q)", job.ID, got, want, job.Status, job.Failure)
	}
}

// wantRowErrors checks the row errors line by line: each wanted line with a
// fragment of its reason, and nothing else.
func wantRowErrors(t *testing.T, job *ent.ImportJob, want map[int]string) {
	t.Helper()
	got := rowErrors(t, job)
	seen := map[int]bool{}
	for _, re := range got {
		frag, ok := want[re.Line]
		if !ok {
			t.Errorf("unexpected row error at line %d: %q", re.Line, re.Reason)
			continue
		}
		if seen[re.Line] {
			t.Errorf("two row errors at line %d", re.Line)
		}
		seen[re.Line] = true
		if !strings.Contains(re.Reason, frag) {
			t.Errorf("line %d: reason %q, want it to mention %q", re.Line, re.Reason, frag)
		}
	}
	for line := range want {
		if !seen[line] {
			t.Errorf("no row error at line %d (want %q); got %+v", line, want[line], got)
		}
	}
}

// wantNoPII fails when a row error carries any of the secrets in clear.
func wantNoPII(t *testing.T, job *ent.ImportJob, secrets ...string) {
	t.Helper()
	for _, re := range rowErrors(t, job) {
		for _, s := range secrets {
			if strings.Contains(re.Reason, s) {
				t.Errorf("line %d: reason %q carries %q in clear", re.Line, re.Reason, s)
			}
		}
	}
	if job.Failure != "" {
		for _, s := range secrets {
			if strings.Contains(job.Failure, s) {
				t.Errorf("failure %q carries %q in clear", job.Failure, s)
			}
		}
	}
}

func wantCode(t *testing.T, err error, code, field string) *mashang.Error {
	t.Helper()
	var e *mashang.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want %s", err, code)
	}
	if e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("error %s/%s %q, want %s/%s", e.Code, e.Field, e.Message, code, field)
	}
	return e
}

func colourChanges(t *testing.T, c *ent.Client, personID int) []*ent.ColourChange {
	t.Helper()
	return c.ColourChange.Query().Where(colourchange.PersonID(personID)).Order(ent.Asc(colourchange.FieldID)).AllX(context.Background())
}

// csvFile joins rows of a CSV; each row may span lines (quoted newlines).
// It returns the file and the line each row starts on (the header is 1).
func csvFile(rows ...string) ([]byte, []int) {
	var b strings.Builder
	lines := make([]int, len(rows))
	line := 1
	for i, r := range rows {
		lines[i] = line
		b.WriteString(r)
		b.WriteString("\r\n")
		line += 1 + strings.Count(r, "\n")
	}
	return []byte(b.String()), lines
}

// endOfDay is the end of a day in China: the next midnight there.
func endOfDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d+1, 0, 0, 0, 0, persons.Zone)
}
