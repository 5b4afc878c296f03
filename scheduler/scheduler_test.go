package scheduler_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/lease"
	"github.com/mashang/mashang/ent/outboxmessage"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scheduler"
)

const day = 24 * time.Hour

type fixture struct {
	t      *testing.T
	c      *ent.Client
	box    *pii.Box
	now    time.Time
	phones map[int]string // account id → holder phone
	n      int
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, c: db.Client, box: box, now: time.Now().Round(0), phones: map[int]string{}}
}

type acct struct {
	role       account.Role
	superior   *ent.Account
	createdAgo time.Duration
	activeAgo  time.Duration // 0: never active
	disabled   bool
}

// account creates a holder and an account for them.
func (f *fixture) account(a acct) *ent.Account {
	f.t.Helper()
	ctx := context.Background()
	f.n++
	phone := fmt.Sprintf("139%08d", f.n)
	u, err := f.c.User.Create().
		SetName(fmt.Sprintf("用户%d", f.n)).
		SetPhoneSealed(f.box.Seal(pii.FieldPhone, phone)).
		SetPhoneHash(f.box.Hash(pii.FieldPhone, phone)).
		SetPhoneMasked(pii.MaskPhone(phone)).
		SetPasswordHash("x").
		Save(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	path := fmt.Sprintf("/t%d/", f.n)
	if a.superior != nil {
		path = a.superior.AccountPath + fmt.Sprintf("t%d/", f.n)
	}
	created := a.createdAgo
	if created == 0 {
		created = 60 * day
	}
	q := f.c.Account.Create().
		SetRole(a.role).
		SetScopePath("/22/").
		SetAccountPath(path).
		SetHolder(u).
		SetCreatedAt(f.now.Add(-created))
	if a.superior != nil {
		q.SetSuperiorID(a.superior.ID)
	}
	if a.activeAgo > 0 {
		q.SetLastActiveAt(f.now.Add(-a.activeAgo))
	}
	if a.disabled {
		q.SetStatus(account.StatusDISABLED).SetDisabledReason(account.DisabledReasonMANUAL).
			SetDisabledAt(f.now.Add(-20 * day))
		if a.superior != nil {
			q.SetDisabledByID(a.superior.ID)
		}
	}
	acc, err := q.Save(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.phones[acc.ID] = phone
	return acc
}

func (f *fixture) reload(a *ent.Account) *ent.Account {
	f.t.Helper()
	return f.c.Account.GetX(context.Background(), a.ID)
}

func (f *fixture) messages() []*ent.OutboxMessage {
	f.t.Helper()
	return f.c.OutboxMessage.Query().Order(ent.Asc(outboxmessage.FieldID)).AllX(context.Background())
}

func TestDisableSilent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		initiator := f.account(acct{role: account.RoleINITIATOR, activeAgo: 40 * day})
		senior := f.account(acct{role: account.RoleSENIOR, superior: initiator, activeAgo: 30 * day})
		interSilent := f.account(acct{role: account.RoleINTERMEDIATE, superior: senior, activeAgo: 16 * day})
		ordSilent := f.account(acct{role: account.RoleORDINARY, superior: senior, activeAgo: 16 * day})
		ordRecent := f.account(acct{role: account.RoleORDINARY, superior: senior, activeAgo: 14 * day})
		interRecent := f.account(acct{role: account.RoleINTERMEDIATE, superior: senior, activeAgo: 14 * day})
		neverOld := f.account(acct{role: account.RoleORDINARY, superior: senior, createdAgo: 16 * day})
		neverNew := f.account(acct{role: account.RoleORDINARY, superior: senior, createdAgo: 14 * day})
		// Not used for 14 days but created long ago: last_active_at rules.
		oldButActive := f.account(acct{role: account.RoleORDINARY, superior: senior, createdAgo: 300 * day, activeAgo: 14 * day})
		alreadyDisabled := f.account(acct{role: account.RoleORDINARY, superior: senior, activeAgo: 30 * day, disabled: true})
		official := f.account(acct{role: account.RoleOFFICIAL, activeAgo: 30 * day})
		grid := f.account(acct{role: account.RoleGRID_WORKER, activeAgo: 30 * day})

		n, err := scheduler.DisableSilent(ctx, f.c, nil, f.now, 15*day)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("DisableSilent = %d, want 3", n)
		}
		disabled := map[int]bool{interSilent.ID: true, ordSilent.ID: true, neverOld.ID: true}
		for _, a := range []*ent.Account{initiator, senior, interSilent, ordSilent, ordRecent, interRecent, neverOld, neverNew, oldButActive, official, grid} {
			got := f.reload(a)
			if !disabled[a.ID] {
				if got.Status != account.StatusACTIVE {
					t.Errorf("%s account %d (%s) was disabled", got.Role, a.ID, a.AccountPath)
				}
				continue
			}
			if got.Status != account.StatusDISABLED || got.DisabledReason == nil || *got.DisabledReason != account.DisabledReasonSILENT ||
				got.DisabledAt == nil || !near(*got.DisabledAt, f.now) || got.DisabledByID != nil || got.CascadeRootID != nil {
				t.Errorf("%s account %d = %s reason %v at %v by %v; want DISABLED SILENT now by nobody",
					got.Role, a.ID, got.Status, got.DisabledReason, got.DisabledAt, got.DisabledByID)
			}
		}
		// The account disabled before keeps its reason, time and disabler.
		ad := f.reload(alreadyDisabled)
		if ad.Status != account.StatusDISABLED || *ad.DisabledReason != account.DisabledReasonMANUAL ||
			!near(*ad.DisabledAt, f.now.Add(-20*day)) || ad.DisabledByID == nil || *ad.DisabledByID != senior.ID {
			t.Errorf("already disabled account changed: %s %v %v %v", ad.Status, *ad.DisabledReason, ad.DisabledAt, ad.DisabledByID)
		}

		// One SMS per disabled account, to its holder, naming the account.
		msgs := f.messages()
		if len(msgs) != 3 {
			t.Fatalf("%d SMS enqueued, want 3", len(msgs))
		}
		byBody := map[string]*ent.OutboxMessage{}
		for _, m := range msgs {
			byBody[m.Body] = m
		}
		for _, a := range []*ent.Account{interSilent, ordSilent, neverOld} {
			body := outbox.StatusChangeSMS(a.ID, string(a.Role), outbox.StatusDisabled, outbox.ReasonSilent)
			m := byBody[body]
			if m == nil {
				t.Errorf("no SMS %q for account %d", body, a.ID)
				continue
			}
			ph, err := f.box.Open(pii.FieldPhone, m.RecipientSealed)
			if err != nil || ph != f.phones[a.ID] || m.RecipientMasked != pii.MaskPhone(f.phones[a.ID]) {
				t.Errorf("SMS for account %d goes to %q (%s), want its holder %s", a.ID, ph, m.RecipientMasked, f.phones[a.ID])
			}
			if m.Status != outboxmessage.StatusPENDING {
				t.Errorf("SMS status %s", m.Status)
			}
		}

		// Idempotent: a second sweep finds nothing and sends nothing.
		if n, err := scheduler.DisableSilent(ctx, f.c, nil, f.now.Add(time.Minute), 15*day); err != nil || n != 0 {
			t.Fatalf("second sweep = %d, %v; want 0", n, err)
		}
		if got := len(f.messages()); got != 3 {
			t.Fatalf("%d SMS after the second sweep, want 3", got)
		}
	})
}

// seed 001 §10: 中级扫码员账号因静默被自动禁用，不影响下一级普通扫码员正常使用.
func TestSilentIntermediateDoesNotTakeDownSubordinates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		senior := f.account(acct{role: account.RoleSENIOR, activeAgo: day})
		inter := f.account(acct{role: account.RoleINTERMEDIATE, superior: senior, activeAgo: 16 * day})
		sub1 := f.account(acct{role: account.RoleORDINARY, superior: inter, activeAgo: day})
		sub2 := f.account(acct{role: account.RoleORDINARY, superior: inter, createdAgo: 2 * day})
		n, err := scheduler.DisableSilent(context.Background(), f.c, nil, f.now, 15*day)
		if err != nil || n != 1 {
			t.Fatalf("DisableSilent = %d, %v; want 1", n, err)
		}
		if got := f.reload(inter); got.Status != account.StatusDISABLED {
			t.Fatalf("silent intermediate is %s, want DISABLED", got.Status)
		}
		for _, s := range []*ent.Account{sub1, sub2} {
			if got := f.reload(s); got.Status != account.StatusACTIVE || got.DisabledReason != nil {
				t.Errorf("subordinate %d of the silent intermediate is %s (%v), want ACTIVE", s.ID, got.Status, got.DisabledReason)
			}
		}
		if msgs := f.messages(); len(msgs) != 1 {
			t.Fatalf("%d SMS, want 1 (the intermediate only)", len(msgs))
		}
	})
}

func TestDisableSilentThresholdIsConfigurable(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		a := f.account(acct{role: account.RoleORDINARY, activeAgo: 8 * day})
		b := f.account(acct{role: account.RoleORDINARY, activeAgo: 6 * day})
		n, err := scheduler.DisableSilent(context.Background(), f.c, nil, f.now, 7*day)
		if err != nil || n != 1 {
			t.Fatalf("DisableSilent(7d) = %d, %v; want 1", n, err)
		}
		if f.reload(a).Status != account.StatusDISABLED || f.reload(b).Status != account.StatusACTIVE {
			t.Fatal("7-day threshold not applied")
		}
		if msgs := f.messages(); len(msgs) != 1 || msgs[0].Body != outbox.SilentSMS(a.ID, "ORDINARY", 7) {
			t.Fatalf("SMS = %v, want the 7-day text", msgs)
		}
	})
}

// Many silent accounts (more than one batch) are all disabled, each with
// its SMS, and a sweep on a second replica at the same time must not
// disable or notify any of them twice.
func TestSecondReplicaSweepCannotDoubleNotify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		const n = 450
		for range n {
			f.account(acct{role: account.RoleORDINARY, activeAgo: 20 * day})
		}
		var wg sync.WaitGroup
		var total atomic.Int64
		errs := make(chan error, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k, err := scheduler.DisableSilent(context.Background(), f.c, nil, f.now, 15*day)
				if err != nil {
					errs <- err
				}
				total.Add(int64(k))
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if total.Load() != n {
			t.Fatalf("the two sweeps disabled %d in all, want %d", total.Load(), n)
		}
		if c := f.c.Account.Query().Where(account.StatusEQ(account.StatusDISABLED)).CountX(context.Background()); c != n {
			t.Fatalf("%d disabled, want %d", c, n)
		}
		if c := len(f.messages()); c != n {
			t.Fatalf("%d SMS, want %d (one per account)", c, n)
		}
	})
}

// A second replica must not take a lease another replica holds live.
func TestSecondReplicaCannotTakeLiveLease(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		c := db.Client
		now := time.Now().Round(0)
		ttl := time.Minute
		try := func(holder string, at time.Time) bool {
			t.Helper()
			ok, err := scheduler.TryAcquire(ctx, c, "job", holder, ttl, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !try("A", now) {
			t.Fatal("A did not get a free lease")
		}
		if try("B", now) || try("B", now.Add(ttl-time.Second)) {
			t.Fatal("B took A's live lease")
		}
		// A renews before expiry: B still cannot take it at the old expiry.
		if !try("A", now.Add(30*time.Second)) {
			t.Fatal("A could not renew its own lease")
		}
		if try("B", now.Add(ttl)) {
			t.Fatal("B took A's renewed lease at its old expiry")
		}
		l := c.Lease.Query().Where(lease.Name("job")).OnlyX(ctx)
		if l.Holder != "A" || !near(l.ExpiresAt, now.Add(30*time.Second+ttl)) {
			t.Fatalf("lease = %s until %v", l.Holder, l.ExpiresAt)
		}
		// A stops renewing: B takes over after expiry; then A is out.
		if !try("B", now.Add(30*time.Second+ttl)) {
			t.Fatal("B could not take the expired lease")
		}
		if try("A", now.Add(31*time.Second+ttl)) {
			t.Fatal("A took the lease back from B")
		}
		// Other lease names are independent.
		ok, err := scheduler.TryAcquire(ctx, c, "other", "A", ttl, now)
		if err != nil || !ok {
			t.Fatalf("A could not get another lease: %v %v", ok, err)
		}
		// Release hands it over at once.
		at := now.Add(40*time.Second + ttl)
		if err := scheduler.Release(ctx, c, "job", "B", at); err != nil {
			t.Fatal(err)
		}
		if !try("A", at) {
			t.Fatal("A could not take a released lease")
		}
		if n := c.Lease.Query().CountX(ctx); n != 2 {
			t.Fatalf("%d lease rows, want 2", n)
		}
	})
}

func TestConcurrentReplicasOnlyOneAcquires(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		now := time.Now().Round(0)
		for round := range 3 {
			name := fmt.Sprintf("race-%d", round)
			var wg sync.WaitGroup
			var winners atomic.Int64
			errs := make(chan error, 8)
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ok, err := scheduler.TryAcquire(context.Background(), db.Client, name, fmt.Sprintf("h%d", i), time.Minute, now)
					if err != nil {
						errs <- err
						return
					}
					if ok {
						winners.Add(1)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if winners.Load() != 1 {
				t.Fatalf("%s: %d holders acquired the lease, want 1", name, winners.Load())
			}
		}
		// Racing for an expired lease: one takes it over.
		var wg sync.WaitGroup
		var winners atomic.Int64
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := scheduler.TryAcquire(context.Background(), db.Client, "race-0", fmt.Sprintf("x%d", i), time.Minute, now.Add(2*time.Minute))
				if err == nil && ok {
					winners.Add(1)
				}
			}()
		}
		wg.Wait()
		if winners.Load() != 1 {
			t.Fatalf("%d holders took over the expired lease, want 1", winners.Load())
		}
	})
}

type phoneRecorder struct {
	mu   sync.Mutex
	sent map[string]string // phone → body
}

func (p *phoneRecorder) Send(_ context.Context, key, phone, body string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent[phone] = body
	return nil
}

func (p *phoneRecorder) get(phone string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent[phone]
}

// The scheduler sweeps only on the replica holding the lease, and its
// sender delivers the SMS to the holder's phone.
func TestSchedulerRun(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		a := f.account(acct{role: account.RoleINTERMEDIATE, activeAgo: 20 * day})
		p := &phoneRecorder{sent: map[string]string{}}
		var logs bytes.Buffer
		lw := &syncWriter{w: &logs}
		logger := slog.New(slog.NewTextHandler(lw, nil))
		sender := &outbox.Sender{Client: f.c, Box: f.box, Provider: p, Logger: logger}
		cfg := scheduler.Config{Every: time.Hour, SendEvery: 10 * time.Millisecond, Holder: "replica-1"}

		// Another replica holds the sweep lease: this one does not sweep.
		if ok, err := scheduler.TryAcquire(context.Background(), f.c, scheduler.SilentSweepLease, "replica-2", time.Hour, time.Now()); err != nil || !ok {
			t.Fatal(ok, err)
		}
		other := scheduler.New(f.c, nil, cfg, logger)
		if ran, _, err := other.SweepOnce(context.Background()); err != nil || ran {
			t.Fatalf("SweepOnce without the lease ran=%v err=%v", ran, err)
		}
		if f.reload(a).Status != account.StatusACTIVE {
			t.Fatal("swept without the lease")
		}
		if err := scheduler.Release(context.Background(), f.c, scheduler.SilentSweepLease, "replica-2", time.Now()); err != nil {
			t.Fatal(err)
		}

		s := scheduler.New(f.c, sender, cfg, logger)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		want := outbox.StatusChangeSMS(a.ID, "INTERMEDIATE", outbox.StatusDisabled, outbox.ReasonSilent)
		deadline := time.Now().Add(10 * time.Second)
		for p.get(f.phones[a.ID]) != want {
			if time.Now().After(deadline) {
				t.Fatalf("holder did not get %q; log:\n%s", want, lw.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return")
		}
		if f.reload(a).Status != account.StatusDISABLED {
			t.Fatal("account not disabled")
		}
		// Run released the lease on the way out: another replica may sweep now.
		if ok, err := scheduler.TryAcquire(context.Background(), f.c, scheduler.SilentSweepLease, "replica-2", time.Hour, time.Now()); err != nil || !ok {
			t.Fatalf("lease not released: %v %v", ok, err)
		}
	})
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -time.Millisecond && d < time.Millisecond
}

// A further job runs only on the replica that holds its own lease, each
// replica counting on the lease row, not on memory.
func TestJobRunsOnlyUnderItsLease(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		runs := map[string]int{}
		job := func(holder string) scheduler.Job {
			return scheduler.Job{Name: "quarantine-sweep", Run: func(context.Context, time.Time) (int, error) {
				runs[holder]++
				return 1, nil
			}}
		}
		a := scheduler.New(db.Client, nil, scheduler.Config{Holder: "replica-a", Every: time.Hour}, nil)
		b := scheduler.New(db.Client, nil, scheduler.Config{Holder: "replica-b", Every: time.Hour}, nil)
		for i := 0; i < 3; i++ {
			if _, _, err := a.RunJob(ctx, job("a")); err != nil {
				t.Fatal(err)
			}
			if ran, _, err := b.RunJob(ctx, job("b")); err != nil || ran {
				t.Fatalf("replica b ran the job while a holds its lease: ran=%v err=%v", ran, err)
			}
		}
		if runs["a"] != 3 || runs["b"] != 0 {
			t.Fatalf("runs = %v, want a:3 b:0", runs)
		}
	})
}
