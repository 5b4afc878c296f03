package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/outboxmessage"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/pii"
)

const phone = "13812345678"

func newBox(t *testing.T) *pii.Box {
	t.Helper()
	b, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// enqueue writes one message in its own committed transaction, as a
// mutation that reports a status change would.
func enqueue(t *testing.T, c *ent.Client, box *pii.Box, key string) {
	t.Helper()
	ctx := context.Background()
	tx, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := outbox.Enqueue(ctx, tx.Client(), outbox.Message{
		Key:             key,
		RecipientSealed: box.Seal(pii.FieldPhone, phone),
		RecipientMasked: pii.MaskPhone(phone),
		Body:            outbox.StatusChangeSMS(123, "INTERMEDIATE", outbox.StatusDisabled, outbox.ReasonSilent),
	}); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func message(t *testing.T, c *ent.Client, key string) *ent.OutboxMessage {
	t.Helper()
	m, err := c.OutboxMessage.Query().Where(outboxmessage.Key(key)).Only(context.Background())
	if err != nil {
		t.Fatalf("message %s: %v", key, err)
	}
	return m
}

// clock is a settable clock, ahead of the real one so that messages just
// enqueued (next_attempt_at = time.Now()) are due.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().Add(time.Minute).Round(0)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -time.Millisecond && d < time.Millisecond
}

// recorder is a Provider that records its calls and fails as told.
type recorder struct {
	mu    sync.Mutex
	calls []string // keys
	fail  func(n int) error
}

func (r *recorder) Send(ctx context.Context, key, ph, body string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, key)
	if ph != phone {
		return outbox.Permanent(fmt.Errorf("unexpected phone"))
	}
	if r.fail != nil {
		return r.fail(len(r.calls))
	}
	return nil
}

func (r *recorder) n() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.calls) }

func runOnce(t *testing.T, s *outbox.Sender) (sent, retried, failed int) {
	t.Helper()
	sent, retried, failed, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return sent, retried, failed
}

func TestEnqueueIsIdempotent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		box := newBox(t)
		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := outbox.Message{Key: "k1", RecipientSealed: box.Seal(pii.FieldPhone, phone), RecipientMasked: pii.MaskPhone(phone), Body: "first"}
		if err := outbox.Enqueue(ctx, tx.Client(), m); err != nil {
			t.Fatal(err)
		}
		m.Body = "second"
		if err := outbox.Enqueue(ctx, tx.Client(), m); err != nil {
			t.Fatalf("second Enqueue with the same key: %v", err)
		}
		// The transaction is still usable (a unique violation would have
		// aborted it on PostgreSQL).
		m.Key, m.Body = "k2", "other"
		if err := outbox.Enqueue(ctx, tx.Client(), m); err != nil {
			t.Fatalf("Enqueue after a duplicate in the same transaction: %v", err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		// Again in a later transaction.
		tx, err = db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m.Key, m.Body = "k1", "third"
		if err := outbox.Enqueue(ctx, tx.Client(), m); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if n := db.Client.OutboxMessage.Query().CountX(ctx); n != 2 {
			t.Fatalf("%d messages, want 2", n)
		}
		got := message(t, db.Client, "k1")
		if got.Body != "first" || got.Status != outboxmessage.StatusPENDING || got.Attempts != 0 {
			t.Fatalf("k1 = %q %s %d, want the first body, PENDING, 0 attempts", got.Body, got.Status, got.Attempts)
		}
	})
}

func TestEnqueueRollsBackWithTheChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		box := newBox(t)
		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := outbox.Enqueue(ctx, tx.Client(), outbox.Message{Key: "k", RecipientSealed: box.Seal(pii.FieldPhone, phone), Body: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if n := db.Client.OutboxMessage.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d messages after rollback, want 0", n)
		}
		for _, bad := range []outbox.Message{
			{RecipientSealed: []byte("x"), Body: "x"},
			{Key: strings.Repeat("k", 65), RecipientSealed: []byte("x"), Body: "x"},
			{Key: "k", Body: "x"},
			{Key: "k", RecipientSealed: []byte("x")},
		} {
			if err := outbox.Enqueue(ctx, db.Client, bad); err == nil {
				t.Errorf("Enqueue(%+v) accepted an invalid message", bad)
			}
		}
	})
}

// A log reader (operator, log shipper) must never see a holder's full phone.
func TestSenderMarksSentAndLogReaderNeverSeesFullPhone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		enqueue(t, db.Client, box, "k-sent")
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&buf, nil))
		clk := newClock()
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: outbox.LogProvider{Logger: logger}, Logger: logger, Now: clk.Now}
		if sent, retried, failed := runOnce(t, s); sent != 1 || retried != 0 || failed != 0 {
			t.Fatalf("RunOnce = %d sent, %d retried, %d failed; want 1, 0, 0", sent, retried, failed)
		}
		m := message(t, db.Client, "k-sent")
		if m.Status != outboxmessage.StatusSENT || m.SentAt == nil || !near(*m.SentAt, clk.Now()) || m.Attempts != 1 {
			t.Fatalf("message = %s sent_at %v attempts %d; want SENT at %v after 1 attempt", m.Status, m.SentAt, m.Attempts, clk.Now())
		}
		out := buf.String()
		if strings.Contains(out, phone) {
			t.Fatalf("log contains the full phone:\n%s", out)
		}
		for _, want := range []string{"k-sent", pii.MaskPhone(phone), "连续15天未登录或操作"} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %q:\n%s", want, out)
			}
		}
		// Sent once: nothing more to do.
		if sent, retried, failed := runOnce(t, s); sent+retried+failed != 0 {
			t.Fatalf("second RunOnce did something: %d %d %d", sent, retried, failed)
		}
	})
}

// An operator reading last_error must not see the phone either, whatever
// the provider put in its error.
func TestRetryWithBackoffThenSentAndOperatorNeverSeesPhoneInLastError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		enqueue(t, db.Client, box, "k-retry")
		clk := newClock()
		p := &recorder{fail: func(n int) error {
			if n <= 2 {
				return fmt.Errorf("gateway busy sending to %s (+86%s)", phone, phone)
			}
			return nil
		}}
		var backoffs []int
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: p, Now: clk.Now,
			Backoff: func(a int) time.Duration { backoffs = append(backoffs, a); return time.Duration(a) * time.Minute }}

		if _, retried, _ := runOnce(t, s); retried != 1 {
			t.Fatalf("first RunOnce retried %d, want 1", retried)
		}
		m := message(t, db.Client, "k-retry")
		if m.Status != outboxmessage.StatusPENDING || m.Attempts != 1 || !near(m.NextAttemptAt, clk.Now().Add(time.Minute)) {
			t.Fatalf("after 1st failure: %s attempts %d next %v; want PENDING, 1, now+1m", m.Status, m.Attempts, m.NextAttemptAt)
		}
		if strings.Contains(m.LastError, phone) || strings.Contains(m.LastError, phone[3:]) || !strings.Contains(m.LastError, "gateway busy") {
			t.Fatalf("last_error = %q: must keep the cause and drop the phone", m.LastError)
		}
		// Not due before the backoff has passed.
		clk.Advance(59 * time.Second)
		if sent, retried, failed := runOnce(t, s); sent+retried+failed != 0 || p.n() != 1 {
			t.Fatalf("RunOnce before the backoff sent anyway (%d calls)", p.n())
		}
		clk.Advance(time.Second)
		if _, retried, _ := runOnce(t, s); retried != 1 {
			t.Fatalf("second RunOnce retried %d, want 1", retried)
		}
		m = message(t, db.Client, "k-retry")
		if m.Attempts != 2 || !near(m.NextAttemptAt, clk.Now().Add(2*time.Minute)) {
			t.Fatalf("after 2nd failure: attempts %d next %v; want 2, now+2m", m.Attempts, m.NextAttemptAt)
		}
		clk.Advance(2 * time.Minute)
		if sent, _, _ := runOnce(t, s); sent != 1 {
			t.Fatalf("third RunOnce sent %d, want 1", sent)
		}
		m = message(t, db.Client, "k-retry")
		if m.Status != outboxmessage.StatusSENT || m.Attempts != 3 || p.n() != 3 {
			t.Fatalf("final: %s attempts %d calls %d; want SENT, 3, 3", m.Status, m.Attempts, p.n())
		}
		if fmt.Sprint(backoffs) != "[1 2]" {
			t.Fatalf("backoff called with %v, want [1 2]", backoffs)
		}
	})
}

func TestPermanentErrorFails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		enqueue(t, db.Client, box, "k-perm")
		clk := newClock()
		p := &recorder{fail: func(int) error { return outbox.Permanent(errors.New("webhook: HTTP 400")) }}
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: p, Now: clk.Now}
		if _, _, failed := runOnce(t, s); failed != 1 {
			t.Fatalf("failed = %d, want 1", failed)
		}
		m := message(t, db.Client, "k-perm")
		if m.Status != outboxmessage.StatusFAILED || m.Attempts != 1 || !strings.Contains(m.LastError, "HTTP 400") {
			t.Fatalf("message = %s attempts %d error %q; want FAILED after 1 attempt with the cause", m.Status, m.Attempts, m.LastError)
		}
		clk.Advance(24 * time.Hour)
		runOnce(t, s)
		if p.n() != 1 {
			t.Fatalf("a FAILED message was sent again (%d calls)", p.n())
		}
	})
}

func TestMaxAttemptsFails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		enqueue(t, db.Client, box, "k-max")
		clk := newClock()
		p := &recorder{fail: func(int) error { return errors.New("timeout") }}
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: p, Now: clk.Now, MaxAttempts: 3,
			Backoff: func(int) time.Duration { return time.Second }}
		var results []string
		for range 5 {
			sent, retried, failed := runOnce(t, s)
			results = append(results, fmt.Sprintf("%d%d%d", sent, retried, failed))
			clk.Advance(time.Second)
		}
		if got := strings.Join(results, " "); got != "010 010 001 000 000" {
			t.Fatalf("RunOnce results (sent,retried,failed) = %s; want 010 010 001 000 000", got)
		}
		m := message(t, db.Client, "k-max")
		if m.Status != outboxmessage.StatusFAILED || m.Attempts != 3 || p.n() != 3 || !strings.Contains(m.LastError, "timeout") {
			t.Fatalf("message = %s attempts %d calls %d error %q; want FAILED, 3, 3", m.Status, m.Attempts, p.n(), m.LastError)
		}
	})
}

func TestUnopenableRecipientFails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		enqueue(t, db.Client, newBox(t), "k-key")
		p := &recorder{}
		s := &outbox.Sender{Client: db.Client, Box: newBox(t), Provider: p, Now: newClock().Now}
		if _, _, failed := runOnce(t, s); failed != 1 || p.n() != 0 {
			t.Fatalf("failed %d calls %d; want 1 failed and no send", failed, p.n())
		}
	})
}

// gateway is an SMS gateway behind the webhook: it counts requests per
// Idempotency-Key and, when dedupe is set, delivers one SMS per key.
type gateway struct {
	mu        sync.Mutex
	requests  map[string]int
	delivered map[string]int
	dedupe    bool
	delay     time.Duration
	bad       []string
}

func newGateway(dedupe bool) (*gateway, *httptest.Server) {
	g := &gateway{requests: map[string]int{}, delivered: map[string]int{}, dedupe: dedupe}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct{ Key, Phone, Body string }
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		time.Sleep(g.delay)
		g.mu.Lock()
		defer g.mu.Unlock()
		key := r.Header.Get("Idempotency-Key")
		if key != p.Key || p.Phone != phone || p.Body == "" {
			g.bad = append(g.bad, fmt.Sprintf("key header %q body key %q", key, p.Key))
		}
		g.requests[key]++
		if !g.dedupe || g.delivered[key] == 0 {
			g.delivered[key]++
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	return g, srv
}

// crashAfterAccept forwards to a provider and then dies like a process
// killed after the gateway accepted the SMS but before the outbox row was
// marked SENT.
type crashAfterAccept struct{ p outbox.Provider }

func (c crashAfterAccept) Send(ctx context.Context, key, ph, body string) error {
	if err := c.p.Send(ctx, key, ph, body); err != nil {
		return err
	}
	panic("process killed after the gateway accepted the SMS")
}

func TestOutboxSurvivesCrashBetweenCommitAndSend(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		g, srv := newGateway(true)
		defer srv.Close()
		webhook := outbox.WebhookProvider{URL: srv.URL}
		clk := newClock()

		// 1. The change and its message commit; the process dies before any
		// Sender ran. Nothing is lost: the next process sends it.
		enqueue(t, db.Client, box, "k-commit")
		fresh := &outbox.Sender{Client: db.Client, Box: box, Provider: webhook, Now: clk.Now}
		if sent, _, _ := runOnce(t, fresh); sent != 1 {
			t.Fatalf("fresh Sender sent %d, want 1", sent)
		}

		// 2. The process dies during the send, after the gateway accepted.
		enqueue(t, db.Client, box, "k-crash")
		claimFor := time.Minute
		dying := &outbox.Sender{Client: db.Client, Box: box, Provider: crashAfterAccept{webhook}, Now: clk.Now, ClaimFor: claimFor}
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the dying Sender did not crash")
				}
			}()
			dying.RunOnce(context.Background())
		}()
		m := message(t, db.Client, "k-crash")
		if m.Status != outboxmessage.StatusPENDING || m.Attempts != 1 || m.SentAt != nil {
			t.Fatalf("after the crash: %s attempts %d sent_at %v; want PENDING with the attempt recorded", m.Status, m.Attempts, m.SentAt)
		}
		restarted := &outbox.Sender{Client: db.Client, Box: box, Provider: webhook, Now: clk.Now, ClaimFor: claimFor}
		// While the dead process's claim lasts, nobody sends it.
		if sent, retried, failed := runOnce(t, restarted); sent+retried+failed != 0 {
			t.Fatalf("a claimed message was handled before its claim expired: %d %d %d", sent, retried, failed)
		}
		clk.Advance(claimFor + time.Second)
		if sent, _, _ := runOnce(t, restarted); sent != 1 {
			t.Fatalf("restarted Sender sent %d after the claim expired, want 1", sent)
		}
		m = message(t, db.Client, "k-crash")
		if m.Status != outboxmessage.StatusSENT || m.Attempts != 2 {
			t.Fatalf("after the resend: %s attempts %d; want SENT after 2 attempts", m.Status, m.Attempts)
		}

		g.mu.Lock()
		defer g.mu.Unlock()
		if len(g.bad) > 0 {
			t.Fatalf("bad requests: %v", g.bad)
		}
		// At least once at the gateway, with the same key each time; exactly
		// once to the holder.
		if g.requests["k-crash"] != 2 || g.requests["k-commit"] != 1 {
			t.Fatalf("gateway requests = %v; want k-crash twice (resent after the crash), k-commit once", g.requests)
		}
		if g.delivered["k-crash"] != 1 || g.delivered["k-commit"] != 1 {
			t.Fatalf("SMS delivered = %v; want exactly one per key", g.delivered)
		}
	})
}

// A message whose attempts were all interrupted by crashes is given up
// (FAILED) rather than crash-looping the senders.
func TestInterruptedAttemptsUsedUpFail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		enqueue(t, db.Client, box, "k-poison")
		clk := newClock()
		p := &recorder{}
		dying := &outbox.Sender{Client: db.Client, Box: box, Provider: crashAfterAccept{p}, Now: clk.Now, MaxAttempts: 2, ClaimFor: time.Minute}
		for range 2 {
			func() {
				defer func() { _ = recover() }()
				dying.RunOnce(context.Background())
			}()
			clk.Advance(2 * time.Minute)
		}
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: p, Now: clk.Now, MaxAttempts: 2}
		if _, _, failed := runOnce(t, s); failed != 1 || p.n() != 2 {
			t.Fatalf("failed %d, calls %d; want FAILED without a third send", failed, p.n())
		}
		if m := message(t, db.Client, "k-poison"); m.Status != outboxmessage.StatusFAILED {
			t.Fatalf("status %s, want FAILED", m.Status)
		}
	})
}

// A second replica's Sender must not send a message the first one claimed:
// two Senders draining the same outbox concurrently deliver each message
// exactly once (the gateway here does not deduplicate).
func TestSecondSenderCannotSendClaimedMessage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		const n = 40
		for i := range n {
			enqueue(t, db.Client, box, fmt.Sprintf("k-%02d", i))
		}
		g, srv := newGateway(false)
		defer srv.Close()
		g.delay = 2 * time.Millisecond
		clk := newClock()
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		sentBy := make([]int, 2)
		for r := range 2 {
			s := &outbox.Sender{Client: db.Client, Box: box, Provider: outbox.WebhookProvider{URL: srv.URL}, Now: clk.Now, Batch: 8}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					sent, retried, failed, err := s.RunOnce(context.Background())
					if err != nil {
						errs <- err
						return
					}
					sentBy[r] += sent
					if retried+failed > 0 {
						errs <- fmt.Errorf("retried %d failed %d", retried, failed)
						return
					}
					left, err := db.Client.OutboxMessage.Query().Where(outboxmessage.StatusEQ(outboxmessage.StatusPENDING)).Count(context.Background())
					if err != nil {
						errs <- err
						return
					}
					if left == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		if len(g.requests) != n {
			t.Fatalf("gateway saw %d keys, want %d", len(g.requests), n)
		}
		for k, c := range g.requests {
			if c != 1 {
				t.Errorf("key %s sent %d times, want exactly once", k, c)
			}
		}
		if sentBy[0]+sentBy[1] != n {
			t.Fatalf("senders report %v sent, want %d in all", sentBy, n)
		}
		t.Logf("sent per sender: %v", sentBy)
		if c := db.Client.OutboxMessage.Query().Where(outboxmessage.StatusEQ(outboxmessage.StatusSENT)).CountX(context.Background()); c != n {
			t.Fatalf("%d SENT, want %d", c, n)
		}
	})
}

func TestSenderHonoursRetryAfter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		enqueue(t, db.Client, box, "k-429")
		calls := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			if calls == 1 {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
		defer srv.Close()
		clk := newClock()
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: outbox.WebhookProvider{URL: srv.URL}, Now: clk.Now,
			Backoff: func(int) time.Duration { return time.Second }}
		if _, retried, _ := runOnce(t, s); retried != 1 {
			t.Fatalf("429 not retried")
		}
		if m := message(t, db.Client, "k-429"); !near(m.NextAttemptAt, clk.Now().Add(120*time.Second)) {
			t.Fatalf("next attempt %v, want now+120s (Retry-After)", m.NextAttemptAt)
		}
		clk.Advance(120 * time.Second)
		if sent, _, _ := runOnce(t, s); sent != 1 || calls != 2 {
			t.Fatalf("sent %d after Retry-After (calls %d), want 1", sent, calls)
		}
	})
}

func TestSenderRunStopsWithContext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		box := newBox(t)
		for i := range 5 {
			enqueue(t, db.Client, box, fmt.Sprintf("run-%d", i))
		}
		p := &recorder{}
		s := &outbox.Sender{Client: db.Client, Box: box, Provider: p, Batch: 2}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Run(ctx, 10*time.Millisecond); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for db.Client.OutboxMessage.Query().Where(outboxmessage.StatusEQ(outboxmessage.StatusSENT)).CountX(context.Background()) < 5 {
			if time.Now().After(deadline) {
				t.Fatal("Run did not send the messages")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		if p.n() != 5 {
			t.Fatalf("%d sends, want 5", p.n())
		}
	})
}

func TestWebhookProvider(t *testing.T) {
	type seen struct {
		key, auth, ctype string
		payload          map[string]string
	}
	var got []seen
	var statuses []int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var p map[string]string
		_ = json.Unmarshal(b, &p)
		got = append(got, seen{r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization"), r.Header.Get("Content-Type"), p})
		code := statuses[0]
		statuses = statuses[1:]
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "3")
		}
		w.WriteHeader(code)
		// A gateway may echo the request; the error must not carry it.
		w.Write(b)
	}))
	defer srv.Close()
	p := outbox.WebhookProvider{URL: srv.URL, Token: "s3cret"}
	ctx := context.Background()

	cases := []struct {
		name      string
		codes     []int
		wantErr   []bool
		permanent bool
	}{
		{"2xx", []int{200}, []bool{false}, false},
		{"500 then 200", []int{500, 200}, []bool{true, false}, false},
		{"400", []int{400}, []bool{true}, true},
		{"429", []int{429}, []bool{true}, false},
		{"404", []int{404}, []bool{true}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got = nil
			statuses = append([]int(nil), c.codes...)
			for i := range c.codes {
				err := p.Send(ctx, "key-1", phone, "body")
				if (err != nil) != c.wantErr[i] {
					t.Fatalf("attempt %d: err = %v, want error %v", i, err, c.wantErr[i])
				}
				if err == nil {
					continue
				}
				if outbox.IsPermanent(err) != (c.permanent && i == len(c.codes)-1) {
					t.Fatalf("attempt %d: IsPermanent(%v) = %v", i, err, outbox.IsPermanent(err))
				}
				if strings.Contains(err.Error(), phone) || strings.Contains(err.Error(), "s3cret") {
					t.Fatalf("error leaks the request: %v", err)
				}
			}
			for _, s := range got {
				if s.key != "key-1" || s.auth != "Bearer s3cret" || !strings.HasPrefix(s.ctype, "application/json") ||
					s.payload["key"] != "key-1" || s.payload["phone"] != phone || s.payload["body"] != "body" {
					t.Fatalf("request = %+v", s)
				}
			}
		})
	}

	t.Run("network error", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		url := dead.URL + "/send?token=s3cret"
		dead.Close()
		err := outbox.WebhookProvider{URL: url}.Send(ctx, "k", phone, "b")
		if err == nil || outbox.IsPermanent(err) {
			t.Fatalf("network error = %v; want a retryable error", err)
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), phone) {
			t.Fatalf("error leaks the URL: %v", err)
		}
	})
}

func TestStatusChangeSMS(t *testing.T) {
	want := "【码上】您的中级扫码员账号（编号 123）已被禁用：连续15天未登录或操作。如需恢复，请向上一级扫码员申请激活。"
	if got := outbox.StatusChangeSMS(123, "INTERMEDIATE", "DISABLED", "SILENT"); got != want {
		t.Fatalf("SILENT SMS = %q\nwant %q", got, want)
	}
	if got := outbox.SilentSMS(123, "ORDINARY", 30); !strings.Contains(got, "连续30天") || !strings.Contains(got, "普通扫码员") {
		t.Fatalf("SilentSMS(30) = %q", got)
	}
	texts := map[string]string{}
	for _, c := range []struct{ status, reason, must string }{
		{"DISABLED", "MANUAL", "已被禁用"},
		{"DISABLED", "CASCADE", "已被禁用"},
		{"DISABLED", "SILENT", "未登录或操作"},
		{"DISABLED", "GEOFENCE", "位置"},
		{"DISABLED", "CODE_NOT_GREEN", "健康码"},
		{"ACTIVE", "", "重新激活"},
		{"ACTIVE", "ACTIVATED", "重新激活"},
		{"ACTIVE", "CREATED", "开通"},
		{"ACTIVE", "HOLDER_ASSIGNED", "接替"},
		{"ACTIVE", "HOLDER_REPLACED", "更换持有人"},
	} {
		got := outbox.StatusChangeSMS(98765, "ORDINARY", c.status, c.reason)
		if !strings.HasPrefix(got, "【码上】") || !strings.Contains(got, "编号 98765") || !strings.Contains(got, "普通扫码员") || !strings.Contains(got, c.must) {
			t.Errorf("%s/%s: %q", c.status, c.reason, got)
		}
		if len(got) > 500 {
			t.Errorf("%s/%s: %d bytes, the outbox holds 500", c.status, c.reason, len(got))
		}
		if c.reason != "" && c.reason != "ACTIVATED" {
			if prev, dup := texts[got]; dup {
				t.Errorf("%s and %s give the same text", prev, c.reason)
			}
			texts[got] = c.reason
		}
	}
	if got := outbox.StatusChangeSMS(1, "SENIOR", "DISABLED", "MANUAL"); !strings.Contains(got, "高级扫码员") {
		t.Errorf("SENIOR: %q", got)
	}
}

func TestEnqueueManyIsIdempotentAndChunked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		msgs := make([]outbox.Message, 2500)
		for i := range msgs {
			msgs[i] = outbox.Message{Key: fmt.Sprintf("bulk:%d", i), RecipientSealed: []byte{1, 2, 3}, RecipientMasked: "138****0000", Body: "测试短信"}
		}
		if err := outbox.EnqueueMany(ctx, db.Client, msgs[:1200]); err != nil {
			t.Fatal(err)
		}
		// Overlapping keys are skipped, not an error, and not duplicated.
		if err := outbox.EnqueueMany(ctx, db.Client, msgs); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.Client.OutboxMessage.Query().Count(ctx); n != len(msgs) {
			t.Fatalf("%d messages stored, want %d", n, len(msgs))
		}
		bad := []outbox.Message{{Key: "x", Body: "b"}}
		if err := outbox.EnqueueMany(ctx, db.Client, bad); err == nil {
			t.Fatal("a message without recipient was accepted")
		}
	})
}
