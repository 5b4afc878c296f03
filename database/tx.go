package database

import (
	"context"
	"errors"

	"github.com/mashang/mashang/ent"
)

// InTx runs fn in one transaction, which the services fn calls join:
//
//   - the transaction in ctx (ent.NewTxContext), if there is one: fn gets
//     ctx and that transaction's client, and the transaction's owner
//     commits;
//   - client itself, when it is a transactional client (tx.Client()): fn
//     gets ctx unchanged and client, and its owner commits;
//   - otherwise a new transaction of client: fn gets a context carrying it
//     and its client; it is committed when fn returns nil and rolled back
//     when fn fails or panics.
//
// On error the caller that owns an outer transaction must roll it back.
func InTx(ctx context.Context, client *ent.Client, fn func(ctx context.Context, c *ent.Client) error) error {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return fn(ctx, tx.Client())
	}
	tx, err := client.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return fn(ctx, client)
	}
	if err != nil {
		return err
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
	return tx.Commit()
}
