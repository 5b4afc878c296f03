package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
)

// AccountPath returns the account-tree path of an account with id below the
// account whose path is parentPath ("" or "/" for a root account such as
// the province INITIATOR): "/a1/a5/".
func AccountPath(parentPath string, id int) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + "a" + strconv.Itoa(id) + "/"
}

// BootstrapInitiator creates the province INITIATOR on first start: the user
// (name, default DefaultInitiatorName; found by phone if it exists) and an
// ACTIVE INITIATOR account with scope "/" and account path "/a<id>/", in one
// transaction. When an INITIATOR account exists already it is returned with
// created false and nothing changes, so every start may call it.
func (s *Service) BootstrapInitiator(ctx context.Context, name, phone, password string) (*ent.Account, bool, error) {
	ctx = systemContext(ctx)
	if name == "" {
		name = DefaultInitiatorName
	}
	var (
		acc     *ent.Account
		created bool
	)
	// Serializable, so two replicas starting together cannot both see "no
	// INITIATOR yet" and both create one on PostgreSQL (SQLite has a single
	// writer anyway); the transaction in ctx, when there is one.
	err := database.InTx(ctx, s.client, func(ctx context.Context, client *ent.Client) error {
		existing, err := firstInitiator(ctx, client)
		if err != nil || existing != nil {
			acc = existing
			return err
		}
		u, _, err := s.CreateUser(ctx, client, name, phone, "", password)
		if err != nil {
			return err
		}
		// The id is known only after the insert: write a unique
		// placeholder path first, then the real one, in the same
		// transaction.
		var nonce [8]byte
		if _, err := rand.Read(nonce[:]); err != nil {
			return err
		}
		a, err := client.Account.Create().
			SetRole(account.RoleINITIATOR).
			SetStatus(account.StatusACTIVE).
			SetScopePath("/").
			SetAccountPath("/pending-" + hex.EncodeToString(nonce[:]) + "/").
			SetHolderID(u.ID).
			Save(ctx)
		if err != nil {
			return err
		}
		acc, err = a.Update().SetAccountPath(AccountPath("/", a.ID)).Save(ctx)
		created = err == nil
		return err
	}, database.Isolation(sql.LevelSerializable))
	if err != nil && ent.TxFromContext(ctx) == nil {
		// Another replica may have bootstrapped at the same moment (a
		// serialization failure on PostgreSQL): if an INITIATOR exists now,
		// that is success.
		if existing, qerr := firstInitiator(ctx, s.client); qerr == nil && existing != nil {
			return existing, false, nil
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("bootstrap initiator: %w", err)
	}
	return acc, created, nil
}

func firstInitiator(ctx context.Context, client *ent.Client) (*ent.Account, error) {
	a, err := client.Account.Query().Where(account.RoleEQ(account.RoleINITIATOR)).Order(account.ByID()).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return a, mashang.Wrap(err, "auth.firstInitiator")
}
