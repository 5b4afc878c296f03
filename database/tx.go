package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mashang/mashang/ent"
)

// TxOption changes how InTx runs its function.
type TxOption func(*txConfig)

type txConfig struct {
	isolation sql.IsolationLevel
	fresh     bool
}

// Isolation begins the transaction at this isolation level. It applies only
// when InTx begins the transaction; a joined transaction keeps its own level.
func Isolation(level sql.IsolationLevel) TxOption {
	return func(c *txConfig) { c.isolation = level }
}

// Fresh always begins a transaction of its own, even when ctx carries one:
// for work that must be able to roll back alone (and retry), such as an
// insert that may hit a unique index that PostgreSQL answers by aborting the
// whole transaction. client must not be a transactional client.
func Fresh() TxOption {
	return func(c *txConfig) { c.fresh = true }
}

// InTx is the one transaction helper of the platform. It runs fn in one
// transaction, which the services fn calls join:
//
//   - the transaction in ctx (ent.NewTxContext), if there is one and Fresh
//     is not given: fn gets ctx and that transaction's client, and the
//     transaction's owner commits;
//   - client itself, when it is a transactional client (tx.Client()): fn
//     gets ctx unchanged and client, and its owner commits;
//   - otherwise a new transaction of client (at the Isolation level when
//     given): fn gets a context carrying it and its client; it is committed
//     when fn returns nil and rolled back when fn fails or panics.
//
// Hooks registered with AfterCommit run once the transaction that owns them
// commits. On error the caller that owns an outer transaction must roll it
// back.
func InTx(ctx context.Context, client *ent.Client, fn func(ctx context.Context, c *ent.Client) error, opts ...TxOption) error {
	var cfg txConfig
	for _, o := range opts {
		o(&cfg)
	}
	if !cfg.fresh {
		if tx := ent.TxFromContext(ctx); tx != nil {
			return fn(ctx, tx.Client())
		}
	}
	var (
		tx  *ent.Tx
		err error
	)
	if cfg.isolation != sql.LevelDefault {
		tx, err = client.BeginTx(ctx, &sql.TxOptions{Isolation: cfg.isolation})
	} else {
		tx, err = client.Tx(ctx)
	}
	if errors.Is(err, ent.ErrTxStarted) && !cfg.fresh {
		return fn(ctx, client)
	}
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(ent.NewTxContext(ctx, tx), tx.Client()); err != nil {
		// fn's error is the one to act on; a failed rollback ends the
		// transaction all the same (the connection is discarded).
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// AfterCommit runs hook once the transaction in ctx commits (never when it
// rolls back), or at once when ctx carries no transaction. The hook gets a
// context without the finished transaction. Use it for what must not happen
// before the data is visible to others: pushes, notifications, caches.
func AfterCommit(ctx context.Context, hook func(ctx context.Context)) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		hook(ctx)
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(cctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(cctx, tx); err != nil {
				return err
			}
			hook(WithoutTx(cctx))
			return nil
		})
	})
}

// ClientFrom is the one way to reach the request's transaction: the client
// of the transaction in ctx, or fallback when there is none.
func ClientFrom(ctx context.Context, fallback *ent.Client) *ent.Client {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	return fallback
}

// WithoutTx returns ctx with any transaction it carries hidden, for work
// that must run outside it (after its commit, or in a transaction of its
// own).
func WithoutTx(ctx context.Context) context.Context {
	if ent.TxFromContext(ctx) == nil {
		return ctx
	}
	return ent.NewTxContext(ctx, nil)
}
