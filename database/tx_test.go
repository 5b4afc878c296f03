package database_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/lease"
)

func TestInTx(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		write := func(ctx context.Context, c *ent.Client, name string) error {
			return c.Lease.Create().SetName(name).SetHolder("test").SetExpiresAt(time.Now()).Exec(ctx)
		}
		stored := func(name string) bool {
			t.Helper()
			ok, err := db.Client.Lease.Query().Where(lease.Name(name)).Exist(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		errRefused := errors.New("refused")

		t.Run("CommitsItsOwnTransaction", func(t *testing.T) {
			err := database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				if ent.TxFromContext(ctx) == nil {
					t.Error("fn's context carries no transaction: services it calls would not join it")
				}
				return write(ctx, c, "committed")
			})
			if err != nil || !stored("committed") {
				t.Fatalf("err %v, stored %v; want the row committed", err, stored("committed"))
			}
		})
		t.Run("RollsBackOnError", func(t *testing.T) {
			err := database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				if err := write(ctx, c, "failed"); err != nil {
					return err
				}
				return errRefused
			})
			if !errors.Is(err, errRefused) || stored("failed") {
				t.Fatalf("err %v, stored %v; want fn's error and nothing written", err, stored("failed"))
			}
		})
		t.Run("RollsBackOnPanic", func(t *testing.T) {
			func() {
				defer func() {
					if recover() == nil {
						t.Error("the panic was swallowed")
					}
				}()
				_ = database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
					if err := write(ctx, c, "panicked"); err != nil {
						return err
					}
					panic("boom")
				})
			}()
			if stored("panicked") {
				t.Fatal("a panicking fn's write was kept")
			}
			// The transaction did not stay open: SQLite has one writer.
			if err := write(ctx, db.Client, "after-panic"); err != nil {
				t.Fatalf("write after the panic: %v", err)
			}
		})
		for _, outer := range []struct {
			name string
			join func(tx *ent.Tx) (context.Context, *ent.Client)
		}{
			{"JoinsTheTransactionInTheContext", func(tx *ent.Tx) (context.Context, *ent.Client) {
				return ent.NewTxContext(ctx, tx), db.Client
			}},
			{"JoinsATransactionalClient", func(tx *ent.Tx) (context.Context, *ent.Client) { return ctx, tx.Client() }},
		} {
			t.Run(outer.name, func(t *testing.T) {
				name := "joined-" + outer.name
				tx, err := db.Client.Tx(ctx)
				if err != nil {
					t.Fatal(err)
				}
				jctx, client := outer.join(tx)
				if err := database.InTx(jctx, client, func(ctx context.Context, c *ent.Client) error {
					return write(ctx, c, name)
				}); err != nil {
					_ = tx.Rollback()
					t.Fatal(err)
				}
				// The owner still holds the transaction: its rollback undoes
				// what fn wrote.
				if err := tx.Rollback(); err != nil {
					t.Fatalf("the joined transaction was ended by InTx: %v", err)
				}
				if stored(name) {
					t.Fatal("InTx committed a transaction it does not own")
				}
			})
		}
		t.Run("FreshBeginsItsOwnTransactionInsideAnother", func(t *testing.T) {
			tx, err := db.Client.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// SQLite has one writer and locks at BEGIN, so the outer
			// transaction ends first; joining it would then fail.
			_ = tx.Rollback()
			tctx := ent.NewTxContext(ctx, tx)
			var inner *ent.Tx
			err = database.InTx(tctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				inner = ent.TxFromContext(ctx)
				_, err := c.Lease.Query().Count(ctx)
				return err
			}, database.Fresh())
			if err != nil {
				t.Fatal(err)
			}
			if inner == nil || inner == tx {
				t.Fatal("Fresh joined the transaction in the context instead of beginning its own")
			}
		})
		t.Run("AfterCommitRunsOnlyOnCommit", func(t *testing.T) {
			var ran []string
			hook := func(name string) func(context.Context) {
				return func(hctx context.Context) {
					if ent.TxFromContext(hctx) != nil {
						t.Errorf("hook %s ran with the finished transaction in its context", name)
					}
					ran = append(ran, name)
				}
			}
			_ = database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				database.AfterCommit(ctx, hook("committed"))
				if len(ran) != 0 {
					t.Error("the hook ran before the commit")
				}
				return nil
			})
			_ = database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				database.AfterCommit(ctx, hook("rolled-back"))
				return errRefused
			})
			database.AfterCommit(ctx, hook("no-transaction"))
			if want := "committed,no-transaction"; strings.Join(ran, ",") != want {
				t.Fatalf("hooks ran %v; want %s", ran, want)
			}
		})
		t.Run("IsolationSerializable", func(t *testing.T) {
			err := database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				return write(ctx, c, "serializable")
			}, database.Isolation(sql.LevelSerializable))
			if err != nil || !stored("serializable") {
				t.Fatalf("err %v, stored %v; want the row committed", err, stored("serializable"))
			}
		})
		t.Run("ClientFromPrefersTheRequestTransaction", func(t *testing.T) {
			if database.ClientFrom(ctx, db.Client) != db.Client {
				t.Fatal("without a transaction ClientFrom must return the fallback")
			}
			_ = database.InTx(ctx, db.Client, func(tctx context.Context, c *ent.Client) error {
				if database.ClientFrom(tctx, db.Client) == db.Client {
					t.Error("ClientFrom ignored the transaction in the context")
				}
				if ent.TxFromContext(database.WithoutTx(tctx)) != nil {
					t.Error("WithoutTx left the transaction visible")
				}
				return nil
			})
		})
	})
}
