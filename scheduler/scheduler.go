// Package scheduler runs the platform's automatic rules inside the server
// process (DESIGN.md §5): the silent-account sweep, elected through a lease
// row so one replica runs it at a time, and the outbox sender, which runs on
// every replica (messages are claimed one by one, see package outbox).
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/stats"
)

// Defaults of Config.
const (
	DefaultSilentAfter = outbox.DefaultSilentDays * 24 * time.Hour
	DefaultEvery       = time.Hour
	// SilentSweepLease is the lease the silent sweep runs under.
	SilentSweepLease = "silent-sweep"
	// sweepBatch is how many accounts one transaction disables.
	sweepBatch = 200
)

// Config tunes the scheduler; zero values take the defaults.
type Config struct {
	// SilentAfter is how long an INTERMEDIATE or ORDINARY account may go
	// without login or operation before it is disabled (default 15 days,
	// seed 001 §10).
	SilentAfter time.Duration
	// Every is the interval of the silent sweep (default 1 h).
	Every time.Duration
	// Holder names this replica in the lease table (default
	// hostname:pid:random).
	Holder string
	// LeaseTTL is how long a won lease lasts (default 1.5 × Every): the
	// holder renews it every Every; another replica takes over only after
	// the holder missed a renewal.
	LeaseTTL time.Duration
	// SendEvery is the outbox sender's polling interval (default
	// outbox.DefaultEvery).
	SendEvery time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rollups keeps the ACCOUNTS gauge (stats.Accounts) as the silent sweep
	// disables accounts; nil counts nothing (issue 12).
	Rollups *stats.Rollups
	// Jobs are further sweeps run on every tick, each by the one replica
	// holding its own lease (e.g. the quarantine sweep of the health-code
	// rules: ORANGE → GREEN when a quarantine has ended).
	Jobs []Job
}

// Job is a periodic sweep run under a lease of its own name.
type Job struct {
	Name string
	Run  func(ctx context.Context, now time.Time) (changed int, err error)
}

func (c Config) withDefaults() Config {
	if c.SilentAfter <= 0 {
		c.SilentAfter = DefaultSilentAfter
	}
	if c.Every <= 0 {
		c.Every = DefaultEvery
	}
	if c.Holder == "" {
		c.Holder = DefaultHolder()
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = c.Every + c.Every/2
	}
	if c.SendEvery <= 0 {
		c.SendEvery = outbox.DefaultEvery
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// DefaultHolder names this process: hostname, pid and a random suffix (two
// containers may share a pid, and a restarted one may reuse it).
func DefaultHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	if len(host) > 96 {
		host = host[:96]
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// silentPredicate matches the accounts the sweep disables: ACTIVE
// INTERMEDIATE and ORDINARY accounts whose last activity — last_active_at,
// or created_at when the account was never used — is before cutoff.
// INITIATOR, SENIOR, OFFICIAL and GRID_WORKER accounts are never silenced
// (seed 001 §10 names only 中级扫码员和普通扫码员).
func silentPredicate(cutoff time.Time) predicate.Account {
	return account.And(
		account.StatusEQ(account.StatusACTIVE),
		account.RoleIn(account.RoleINTERMEDIATE, account.RoleORDINARY),
		account.Or(
			account.LastActiveAtLT(cutoff),
			account.And(account.LastActiveAtIsNil(), account.CreatedAtLT(cutoff)),
		),
	)
}

// DisableSilent disables the silent accounts (silentPredicate with cutoff
// now-silentAfter): status DISABLED, reason SILENT, disabled_at now, no
// disabling account, no cascade. Each change is made with a conditional
// UPDATE that re-checks the rule, and its SMS to the holder is enqueued in
// the same transaction, so an account that became active meanwhile is kept
// and no change goes without its notice. It returns how many accounts it
// disabled. Running it twice, or on two replicas at once, disables (and
// notifies) each account once.
//
// It never touches subordinates. seed 001 §10: 中级扫码员账号因静默被自动禁用，
// 不影响下一级普通扫码员正常使用 — a silent INTERMEDIATE is disabled alone; its
// ORDINARY accounts stay ACTIVE unless silent themselves.
//
// The accounts disabled are counted in the ACCOUNTS gauge through r (nil:
// not counted), one Apply for each batch's transaction.
func DisableSilent(ctx context.Context, client *ent.Client, r *stats.Rollups, now time.Time, silentAfter time.Duration) (int, error) {
	if silentAfter <= 0 {
		silentAfter = DefaultSilentAfter
	}
	silent := silentPredicate(now.Add(-silentAfter))
	days := int(silentAfter / (24 * time.Hour))
	if days < 1 {
		days = 1
	}
	total, after := 0, 0
	for {
		batch, err := client.Account.Query().
			Where(silent, account.IDGT(after)).
			Order(ent.Asc(account.FieldID)).
			Limit(sweepBatch).
			WithHolder().
			All(ctx)
		if err != nil {
			return total, fmt.Errorf("scheduler: list silent accounts: %w", err)
		}
		if len(batch) == 0 {
			return total, nil
		}
		after = batch[len(batch)-1].ID
		n, err := disableBatch(ctx, client, r, batch, silent, now, days)
		total += n
		if err != nil {
			return total, err
		}
		if len(batch) < sweepBatch {
			return total, nil
		}
	}
}

func disableBatch(ctx context.Context, client *ent.Client, r *stats.Rollups, batch []*ent.Account, silent predicate.Account, now time.Time, days int) (int, error) {
	n := 0
	err := database.InTx(ctx, client, func(ctx context.Context, c *ent.Client) error {
		n = 0
		var d stats.Delta
		for _, a := range batch {
			changed, err := c.Account.Update().
				Where(account.ID(a.ID), silent).
				SetStatus(account.StatusDISABLED).
				SetDisabledReason(account.DisabledReasonSILENT).
				SetDisabledAt(now).
				ClearDisabledByID().
				ClearCascadeRootID().
				Save(ctx)
			if err != nil {
				return fmt.Errorf("scheduler: disable account %d: %w", a.ID, err)
			}
			if changed == 0 {
				continue // active again, or another replica got there first
			}
			silenced := *a
			reason := account.DisabledReasonSILENT
			silenced.Status, silenced.DisabledReason = account.StatusDISABLED, &reason
			stats.AddAccounts(&d, []*ent.Account{a}, -1)
			stats.AddAccounts(&d, []*ent.Account{&silenced}, 1)
			h := a.Edges.Holder
			if h == nil {
				return fmt.Errorf("scheduler: account %d has no holder", a.ID)
			}
			if err := outbox.Enqueue(ctx, c, outbox.Message{
				Key:             outbox.StatusChangeKey(a.ID, string(account.DisabledReasonSILENT), now),
				RecipientSealed: h.PhoneSealed,
				RecipientMasked: h.PhoneMasked,
				Body:            outbox.SilentSMS(a.ID, string(a.Role), days),
			}); err != nil {
				return err
			}
			n++
		}
		return r.Apply(ctx, c, &d)
	}, database.Fresh())
	if err != nil {
		return 0, mashang.Wrap(err, "scheduler: silent sweep")
	}
	return n, nil
}

// Scheduler runs the automatic rules of one replica.
type Scheduler struct {
	client *ent.Client
	sender *outbox.Sender
	cfg    Config
	log    *slog.Logger
}

// New returns a scheduler; sender may be nil (no outbox sending here).
func New(client *ent.Client, sender *outbox.Sender, cfg Config, logger *slog.Logger) *Scheduler {
	if logger == nil {
		logger = slog.Default()
	}
	return &Scheduler{client: client, sender: sender, cfg: cfg.withDefaults(), log: logger}
}

// Holder is the name this replica uses in the lease table.
func (s *Scheduler) Holder() string { return s.cfg.Holder }

// SweepOnce runs the silent sweep if this replica holds (or wins) the
// lease; ran reports whether it did.
func (s *Scheduler) SweepOnce(ctx context.Context) (ran bool, disabled int, err error) {
	ok, err := TryAcquire(ctx, s.client, SilentSweepLease, s.cfg.Holder, s.cfg.LeaseTTL, s.cfg.Now())
	if err != nil || !ok {
		return false, 0, err
	}
	n, err := DisableSilent(ctx, s.client, s.cfg.Rollups, s.cfg.Now(), s.cfg.SilentAfter)
	return true, n, err
}

// Run runs, until ctx is done, the silent sweep every cfg.Every (at start,
// then on each tick; only the lease holder sweeps — and a sweep on two
// replicas at once would still disable and notify each account once) and
// the outbox sender loop (on every replica: sending is claimed per message).
// On return it releases the lease so another replica can take over at once.
func (s *Scheduler) Run(ctx context.Context) {
	var wg sync.WaitGroup
	if s.sender != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.sender.Run(ctx, s.cfg.SendEvery)
		}()
	}
	t := time.NewTimer(0)
	defer t.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-t.C:
		}
		ran, n, err := s.SweepOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("silent sweep", "error", err)
		case ran && n > 0:
			s.log.Info("silent sweep disabled accounts", "disabled", n, "silent_after", s.cfg.SilentAfter)
		}
		for _, j := range s.cfg.Jobs {
			ran, n, err := s.RunJob(ctx, j)
			switch {
			case err != nil && ctx.Err() == nil:
				s.log.Error("scheduled job", "job", j.Name, "error", err)
			case ran && n > 0:
				s.log.Info("scheduled job changed rows", "job", j.Name, "changed", n)
			}
		}
		t.Reset(s.cfg.Every)
	}
	wg.Wait()
	relCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := Release(relCtx, s.client, SilentSweepLease, s.cfg.Holder, s.cfg.Now()); err != nil {
		s.log.Warn("release silent-sweep lease", "error", err)
	}
	for _, j := range s.cfg.Jobs {
		if err := Release(relCtx, s.client, j.Name, s.cfg.Holder, s.cfg.Now()); err != nil {
			s.log.Warn("release lease", "job", j.Name, "error", err)
		}
	}
}

// RunJob runs one job if this replica holds (or wins) its lease; ran
// reports whether it did.
func (s *Scheduler) RunJob(ctx context.Context, j Job) (ran bool, changed int, err error) {
	ok, err := TryAcquire(ctx, s.client, j.Name, s.cfg.Holder, s.cfg.LeaseTTL, s.cfg.Now())
	if err != nil || !ok {
		return false, 0, err
	}
	n, err := j.Run(ctx, s.cfg.Now())
	return true, n, mashang.Wrap(err, "scheduler job "+j.Name)
}
