package regionimport

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/revision"
)

const staging = "regionimport_staging"

// advisoryLock is the PostgreSQL advisory lock key importers serialise on
// ("regimp" in ASCII).
const advisoryLock int64 = 0x726567696d70

// sqliteBatch is the rows per staging INSERT on SQLite: 6 parameters a row
// stays far below SQLite's limit of 32 766 while making each statement worth
// its parse.
const sqliteBatch = 400

// writer runs the import's statements inside its one transaction.
type writer struct {
	tx  *sql.Tx
	pg  bool
	now time.Time
}

// arg returns the n-th (1-based) placeholder.
func (w *writer) arg(n int) string {
	if w.pg {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// ts is a timestamp placeholder; PostgreSQL cannot infer the type of a
// parameter in an INSERT's SELECT list.
func (w *writer) ts(n int) string {
	if w.pg {
		return "CAST($" + strconv.Itoa(n) + " AS timestamptz)"
	}
	return "?"
}

func write(ctx context.Context, db *database.DB, p *parsed, sum *Summary, pr *progress) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin import: %w", err)
	}
	// After Commit this is a no-op; on every error path it undoes all.
	defer tx.Rollback()
	// Local time, as ent writes it: SQLite compares the stored text, so mixed
	// zones would misorder created_at.
	w := &writer{tx: tx, pg: db.Dialect == "postgres", now: time.Now()}

	if w.pg {
		// Two imports at once would each fail on the other's new codes
		// only after doing all their work; the second waits instead.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", advisoryLock); err != nil {
			return fmt.Errorf("wait for other imports: %w", err)
		}
	}
	if err := w.checkOrphans(ctx, p); err != nil {
		return err
	}
	if err := w.stage(ctx, p, pr); err != nil {
		return err
	}
	var moves []move
	for d, lv := range levels {
		if len(p.rows[d]) == 0 {
			continue
		}
		m, err := w.findMoves(ctx, d)
		if err != nil {
			return err
		}
		moves = append(moves, m...)
		lc := &sum.Levels[d]
		if lc.Updated, err = w.update(ctx, d); err != nil {
			return err
		}
		if lc.Inserted, err = w.insert(ctx, d); err != nil {
			return err
		}
		lc.Unchanged = lc.Read - lc.Updated - lc.Inserted
		pr.line("%s: %d inserted, %d updated, %d unchanged", lv.file, lc.Inserted, lc.Updated, lc.Unchanged)
	}
	if err := w.rebase(ctx, moves, sum); err != nil {
		return err
	}
	pr.line("recounting children")
	if err := w.recountChildren(ctx); err != nil {
		return err
	}
	if !w.pg {
		// SQLite keeps temporary tables for the connection's life, and the
		// pool hands the connection to others.
		if _, err := tx.ExecContext(ctx, "DROP TABLE temp."+staging); err != nil {
			return fmt.Errorf("drop staging table: %w", err)
		}
	}
	if sum.Changed() {
		// Cached tree answers (graph's response cache) are keyed by it.
		if err := revision.BumpSQL(ctx, tx, db.Dialect, revision.Tree); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit import: %w", err)
	}
	return nil
}

// checkOrphans looks the parents missing from the source up in the
// database; the first row whose parent is nowhere is the error.
func (w *writer) checkOrphans(ctx context.Context, p *parsed) error {
	if len(p.orphans) == 0 {
		return nil
	}
	want := make(map[string]bool)
	for _, o := range p.orphans {
		want[p.rows[o.depth][o.index].parent] = true
	}
	codes := make([]string, 0, len(want))
	for c := range want {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	found := make(map[string]bool, len(codes))
	const batch = 500
	for i := 0; i < len(codes); i += batch {
		part := codes[i:min(i+batch, len(codes))]
		ph := make([]string, len(part))
		args := make([]any, len(part))
		for j, c := range part {
			ph[j] = w.arg(j + 1)
			args[j] = c
		}
		rows, err := w.tx.QueryContext(ctx, "SELECT code FROM regions WHERE code IN ("+strings.Join(ph, ",")+")", args...)
		if err != nil {
			return fmt.Errorf("look up parents in the database: %w", err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return fmt.Errorf("look up parents in the database: %w", err)
			}
			found[c] = true
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("look up parents in the database: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("look up parents in the database: %w", err)
		}
	}
	// Orphans were collected in file order, so the first miss is the one a
	// person meets first.
	for _, o := range p.orphans {
		r := p.rows[o.depth][o.index]
		if !found[r.parent] {
			return &ImportError{File: levels[o.depth].file, Line: r.line,
				Reason: fmt.Sprintf("parent %s %s not found", levels[o.depth-1].noun, r.parent)}
		}
	}
	return nil
}

// stageColumns are the staging table's columns, in the order eachStaged
// yields their values.
var stageColumns = []string{"code", "name", "level", "parent_code", "depth", "children"}

// stage loads every row into a temporary table so that each level merges
// into regions with one UPDATE and one INSERT.
func (w *writer) stage(ctx context.Context, p *parsed, pr *progress) error {
	create := "CREATE TEMP TABLE " + staging + ` (code text NOT NULL, name text NOT NULL, level text NOT NULL,
	parent_code text, depth integer NOT NULL, children integer NOT NULL)`
	if w.pg {
		create += " ON COMMIT DROP"
	} else if _, err := w.tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+staging); err != nil {
		// A rollback undoes the CREATE too, but a connection the driver gave
		// up on mid-import may still hold the table.
		return fmt.Errorf("drop old staging table: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("create staging table: %w", err)
	}
	total := p.total()
	var err error
	if w.pg {
		err = w.copyIn(ctx, p, total, pr)
	} else {
		err = w.insertBatches(ctx, p, total, pr)
	}
	if err != nil {
		return fmt.Errorf("stage rows: %w", err)
	}
	if w.pg {
		// Without statistics the planner guesses the temporary table's size
		// and may join it by nested loops over 600 000 rows.
		if _, err := w.tx.ExecContext(ctx, "ANALYZE "+staging); err != nil {
			return fmt.Errorf("analyze staging table: %w", err)
		}
	}
	pr.line("staged %d rows", total)
	return nil
}

// eachStaged calls fn with the staging values of every row, top level
// first, reusing one slice.
func eachStaged(p *parsed, fn func(vals []any) error) error {
	vals := make([]any, len(stageColumns))
	for d, rs := range p.rows {
		// Children in the source, per code of this level.
		var children map[string]int
		if d+1 < len(p.rows) {
			children = make(map[string]int, len(rs))
			for _, c := range p.rows[d+1] {
				children[c.parent]++
			}
		}
		for _, r := range rs {
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = r.code, r.name, levels[d].enum, nil, d, children[r.code]
			if r.parent != "" {
				vals[3] = r.parent
			}
			if err := fn(vals); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writer) copyIn(ctx context.Context, p *parsed, total int, pr *progress) error {
	// lib/pq turns a prepared COPY … FROM STDIN into the COPY protocol.
	stmt, err := w.tx.PrepareContext(ctx, "COPY "+staging+" ("+strings.Join(stageColumns, ", ")+") FROM STDIN")
	if err != nil {
		return err
	}
	defer stmt.Close()
	n := 0
	err = eachStaged(p, func(vals []any) error {
		if n++; n%16384 == 0 {
			pr.update("staging rows: %d of %d", n, total)
		}
		_, err := stmt.ExecContext(ctx, vals...)
		return err
	})
	if err != nil {
		return err
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	return stmt.Close()
}

func (w *writer) insertBatches(ctx context.Context, p *parsed, total int, pr *progress) error {
	cols := len(stageColumns)
	head := "INSERT INTO " + staging + " (" + strings.Join(stageColumns, ", ") + ") VALUES "
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + "),"
	stmtFor := func(rows int) string {
		return head + strings.TrimSuffix(strings.Repeat(tuple, rows), ",")
	}
	full, err := w.tx.PrepareContext(ctx, stmtFor(sqliteBatch))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, cols*sqliteBatch)
	n := 0
	err = eachStaged(p, func(vals []any) error {
		if n++; n%16384 == 0 {
			pr.update("staging rows: %d of %d", n, total)
		}
		args = append(args, vals...)
		if len(args) < cap(args) {
			return nil
		}
		_, err := full.ExecContext(ctx, args...)
		args = args[:0]
		return err
	})
	if err != nil || len(args) == 0 {
		return err
	}
	_, err = w.tx.ExecContext(ctx, stmtFor(len(args)/cols), args...)
	return err
}

// newPath is the path a staged row s gets below its parent p (a province's
// parent is the root).
const newPath = "COALESCE(p.path, '/') || s.code || '/'"

// update rewrites the level's existing regions whose name, level, parent or
// path differ from the source and returns how many there were. Only those
// rows are written (and locked), so a re-run does not hold up the site
// writes that keep site_count. Parents are merged a level earlier, so the
// join finds each parent's id and final path.
func (w *writer) update(ctx context.Context, depth int) (int, error) {
	res, err := w.tx.ExecContext(ctx, `UPDATE regions SET name = s.name, level = s.level, path = `+newPath+`,
	parent_id = p.id, updated_at = `+w.ts(1)+`
FROM `+staging+` s LEFT JOIN regions p ON p.code = s.parent_code
WHERE regions.code = s.code AND s.depth = `+strconv.Itoa(depth)+`
	AND (regions.name <> s.name OR regions.level <> s.level OR regions.path <> `+newPath+`
		OR COALESCE(regions.parent_id, -1) <> COALESCE(p.id, -1))`, w.now)
	if err != nil {
		return 0, fmt.Errorf("update regions of %s: %w", levels[depth].file, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("update regions of %s: %w", levels[depth].file, err)
	}
	return int(n), nil
}

// insert adds the level's regions the table lacks and returns how many.
// child_count starts at the children the source gives the region: nothing
// else can point at a row that did not exist, so on a first import the
// final recount finds nothing to fix.
func (w *writer) insert(ctx context.Context, depth int) (int, error) {
	res, err := w.tx.ExecContext(ctx, `INSERT INTO regions (created_at, updated_at, code, name, level, path, child_count, site_count, parent_id)
SELECT `+w.ts(1)+`, `+w.ts(2)+`, s.code, s.name, s.level, `+newPath+`, s.children, 0, p.id
FROM `+staging+` s LEFT JOIN regions p ON p.code = s.parent_code
WHERE s.depth = `+strconv.Itoa(depth)+` AND NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = s.code)`, w.now, w.now)
	if err != nil {
		return 0, fmt.Errorf("insert regions of %s: %w", levels[depth].file, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("insert regions of %s: %w", levels[depth].file, err)
	}
	return int(n), nil
}

// move is a region whose path the update is about to change.
type move struct {
	depth            int
	oldPath, newPath string
}

// findMoves lists the level's existing regions whose path will change. With
// codes that start with their parent's code a path never changes, so this
// only fires for rows written by something that did not follow that rule;
// it finds nothing on an ordinary re-run.
func (w *writer) findMoves(ctx context.Context, depth int) ([]move, error) {
	// A first import has nothing to move; the probe (on the level index)
	// spares it a join of every staged row.
	var found int
	err := w.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM regions WHERE level = `+w.arg(1)+` LIMIT 1) AS x`,
		levels[depth].enum).Scan(&found)
	if err != nil {
		return nil, fmt.Errorf("find moved regions in %s: %w", levels[depth].file, err)
	}
	if found == 0 {
		return nil, nil
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT r.path, `+newPath+`
FROM `+staging+` s JOIN regions r ON r.code = s.code LEFT JOIN regions p ON p.code = s.parent_code
WHERE s.depth = `+strconv.Itoa(depth)+` AND r.path <> `+newPath)
	if err != nil {
		return nil, fmt.Errorf("find moved regions in %s: %w", levels[depth].file, err)
	}
	defer rows.Close()
	var out []move
	for rows.Next() {
		m := move{depth: depth}
		if err := rows.Scan(&m.oldPath, &m.newPath); err != nil {
			return nil, fmt.Errorf("find moved regions in %s: %w", levels[depth].file, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// rebase rewrites the paths of the regions below moved nodes that the source
// did not mention (those it did got their new path from update), one
// UPDATE per moved node since moves are rare. Deepest first: a node that
// moved out from under a node that also moved must take its own subtree
// along before the outer rewrite sweeps the old range.
//
// Only regions are rewritten; rows of other tables that denormalise a region
// path (sites, units, accounts) are not, so a move under a region that
// already has sites needs those fixed as well.
func (w *writer) rebase(ctx context.Context, moves []move, sum *Summary) error {
	if len(moves) == 0 {
		return nil
	}
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].depth > moves[j].depth })
	depthOf := make(map[string]int, len(levels))
	for d, lv := range levels {
		depthOf[lv.enum] = d
	}
	q := `UPDATE regions SET path = CAST(` + w.arg(1) + ` AS text) || substr(path, CAST(` + w.arg(2) + ` AS integer)),
	updated_at = ` + w.ts(3) + `
WHERE path > ` + w.arg(4) + ` AND path < ` + w.arg(5) + ` RETURNING level`
	for _, m := range moves {
		rows, err := w.tx.QueryContext(ctx, q, m.newPath, len(m.oldPath)+1, w.now, m.oldPath, m.oldPath+"~")
		if err != nil {
			return fmt.Errorf("rewrite paths below %s: %w", m.oldPath, err)
		}
		for rows.Next() {
			var lv string
			if err := rows.Scan(&lv); err != nil {
				rows.Close()
				return fmt.Errorf("rewrite paths below %s: %w", m.oldPath, err)
			}
			if d, ok := depthOf[lv]; ok {
				sum.Levels[d].Updated++
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("rewrite paths below %s: %w", m.oldPath, err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("rewrite paths below %s: %w", m.oldPath, err)
		}
	}
	return nil
}

// recountChildren sets child_count wherever it differs from the number of
// direct children. It covers the whole table rather than the source's
// subtree: grouping all rows once is cheaper than working out which parents
// were touched, and it also repairs counts left wrong by earlier writers.
// Grouping by parent_id first keeps the join to the 45 000 parents instead
// of all 665 000 regions (a quarter of the time of a LEFT JOIN per region).
func (w *writer) recountChildren(ctx context.Context) error {
	if _, err := w.tx.ExecContext(ctx, `UPDATE regions SET child_count = c.n
FROM (SELECT parent_id, COUNT(*) AS n FROM regions WHERE parent_id IS NOT NULL GROUP BY parent_id) AS c
WHERE regions.id = c.parent_id AND regions.child_count <> c.n`); err != nil {
		return fmt.Errorf("recount children: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE regions SET child_count = 0
WHERE child_count <> 0 AND NOT EXISTS (SELECT 1 FROM regions ch WHERE ch.parent_id = regions.id)`); err != nil {
		return fmt.Errorf("recount children: %w", err)
	}
	return nil
}
