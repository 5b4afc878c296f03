package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/lease"
)

// TryAcquire tries to make holder the holder of the named lease until
// now+ttl and reports whether it is. It renews the lease when holder already
// has it, takes it over when it has expired, and creates it when it does not
// exist; while another holder's lease is live it returns false. Each step is
// one conditional statement (UPDATE … WHERE name = ? AND (holder = ? OR
// expires_at <= ?), then INSERT … ON CONFLICT DO NOTHING), so two replicas
// racing for it never both win, on SQLite and on PostgreSQL. Replicas'
// clocks are assumed to agree to well within ttl.
func TryAcquire(ctx context.Context, client *ent.Client, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	if name == "" || holder == "" {
		return false, errors.New("scheduler: lease name and holder are required")
	}
	if ttl <= 0 {
		return false, errors.New("scheduler: lease ttl must be positive")
	}
	until := now.Add(ttl)
	n, err := client.Lease.Update().
		Where(lease.Name(name), lease.Or(lease.Holder(holder), lease.ExpiresAtLTE(now))).
		SetHolder(holder).
		SetExpiresAt(until).
		Save(ctx)
	if err != nil {
		return false, fmt.Errorf("scheduler: renew lease %s: %w", name, err)
	}
	if n == 1 {
		return true, nil
	}
	// Either the lease does not exist yet or someone else holds it live.
	err = client.Lease.Create().
		SetName(name).
		SetHolder(holder).
		SetExpiresAt(until).
		OnConflictColumns(lease.FieldName).
		DoNothing().
		Exec(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		// The row exists (DO NOTHING returned no id): held by another.
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("scheduler: create lease %s: %w", name, err)
	}
	return true, nil
}

// Release gives the lease up if holder has it, so another replica can take
// it at once instead of waiting for it to expire.
func Release(ctx context.Context, client *ent.Client, name, holder string, now time.Time) error {
	_, err := client.Lease.Update().
		Where(lease.Name(name), lease.Holder(holder), lease.ExpiresAtGT(now)).
		SetExpiresAt(now).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("scheduler: release lease %s: %w", name, err)
	}
	return nil
}
