// Package revision keeps counters that change whenever a body of data
// changes, in the same transaction as the change. Caches key their entries
// by the counter, so an answer is never served after the data it was built
// from changed, on any replica.
package revision

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/hook"
	entrevision "github.com/mashang/mashang/ent/revision"
)

// Tree is the revision of the jurisdiction tree: regions, their names,
// populations and their child and site counts.
const Tree = "tree"

// Install bumps the Tree revision after every region mutation made through
// the client (including the site writes that change site counts).
func Install(client *ent.Client) {
	client.Region.Use(func(next ent.Mutator) ent.Mutator {
		return hook.RegionFunc(func(ctx context.Context, m *ent.RegionMutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err // the mutation's own error, as if no hook ran
			}
			// After the write, in its transaction when it has one: a reader
			// that saw the old revision can only have seen the old data or
			// newer, never the new revision with old data.
			if err := Bump(ctx, m.Client(), Tree); err != nil {
				return nil, err
			}
			return v, nil
		})
	})
}

// Bump increments a revision through ent.
func Bump(ctx context.Context, client *ent.Client, name string) error {
	err := client.Revision.Create().SetName(name).SetValue(1).
		OnConflictColumns(entrevision.FieldName).
		Update(func(u *ent.RevisionUpsert) { u.AddValue(1) }).
		Exec(ctx)
	return mashang.Wrap(err, "revision.Bump "+name)
}

// Execer runs a statement: a *sql.Tx or *sql.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// BumpSQL increments a revision with plain SQL, for bulk writers that do
// not go through ent (the region importer).
func BumpSQL(ctx context.Context, db Execer, dialectName, name string) error {
	q := `INSERT INTO revisions (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = revisions.value + 1`
	if dialectName == dialect.Postgres {
		q = `INSERT INTO revisions (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = revisions.value + 1`
	}
	if _, err := db.ExecContext(ctx, q, name); err != nil {
		return fmt.Errorf("bump revision %s: %w", name, err)
	}
	return nil
}

// Get returns the current value of a revision (0 before the first bump).
func Get(ctx context.Context, client *ent.Client, name string) (int64, error) {
	r, err := client.Revision.Query().Where(entrevision.Name(name)).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, mashang.Wrap(err, "revision.Get "+name)
	}
	return r.Value, nil
}
