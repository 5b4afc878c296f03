package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

	"entgo.io/ent/dialect"
)

// Counter counts the SQL statements sent through an ent driver, so tests can
// assert that a request costs a constant number of them.
type Counter struct {
	n atomic.Int64
	// Keep, when set, keeps the text of every statement (Statements).
	Keep bool
	mu   sync.Mutex
	log  []string
}

// Count returns the statements sent so far.
func (c *Counter) Count() int64 { return c.n.Load() }

// Reset sets the count back to zero and forgets the statements kept.
func (c *Counter) Reset() {
	c.n.Store(0)
	c.mu.Lock()
	c.log = nil
	c.mu.Unlock()
}

// Statements returns the statements kept since the last Reset.
func (c *Counter) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.log...)
}

func (c *Counter) add(q string) {
	c.n.Add(1)
	if c.Keep {
		c.mu.Lock()
		c.log = append(c.log, q)
		c.mu.Unlock()
	}
}

// Wrap returns a driver that counts on c; use it as database.Options.WrapDriver.
func (c *Counter) Wrap(d dialect.Driver) dialect.Driver { return &countingDriver{Driver: d, c: c} }

type countingDriver struct {
	dialect.Driver
	c *Counter
}

func (d *countingDriver) Exec(ctx context.Context, q string, args, v any) error {
	d.c.add(q)
	return d.Driver.Exec(ctx, q, args, v)
}

func (d *countingDriver) Query(ctx context.Context, q string, args, v any) error {
	d.c.add(q)
	return d.Driver.Query(ctx, q, args, v)
}

func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, c: d.c}, nil
}

type countingTx struct {
	dialect.Tx
	c *Counter
}

func (t *countingTx) Exec(ctx context.Context, q string, args, v any) error {
	t.c.add(q)
	return t.Tx.Exec(ctx, q, args, v)
}

func (t *countingTx) Query(ctx context.Context, q string, args, v any) error {
	t.c.add(q)
	return t.Tx.Query(ctx, q, args, v)
}

// BeginTx passes transaction options through (auth's serializable
// bootstrap, audit's read-only snapshot) and counts on the transaction.
func (d *countingDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	b, ok := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	})
	if !ok {
		return nil, errors.New("dbtest: the wrapped driver has no BeginTx")
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, c: d.c}, nil
}

// ExecContext and QueryContext pass raw statements through (ent's
// ExecContext and QueryContext, which audit's chain lock and Verify use),
// and count them.
func (t *countingTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, errors.New("dbtest: the wrapped transaction has no ExecContext")
	}
	t.c.add(q)
	return ex.ExecContext(ctx, q, args...)
}

func (t *countingTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	qu, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, errors.New("dbtest: the wrapped transaction has no QueryContext")
	}
	t.c.add(q)
	return qu.QueryContext(ctx, q, args...)
}

// ExecContext and QueryContext of the driver itself (outside a
// transaction) pass raw statements through too, and count them.
func (d *countingDriver) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ex, ok := d.Driver.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, errors.New("dbtest: the wrapped driver has no ExecContext")
	}
	d.c.add(q)
	return ex.ExecContext(ctx, q, args...)
}

func (d *countingDriver) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	qu, ok := d.Driver.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, errors.New("dbtest: the wrapped driver has no QueryContext")
	}
	d.c.add(q)
	return qu.QueryContext(ctx, q, args...)
}
