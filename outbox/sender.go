package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/outboxmessage"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/validate"
)

// Defaults of a Sender.
const (
	DefaultBatch       = 100
	DefaultMaxAttempts = 10
	DefaultClaimFor    = 2 * time.Minute
	DefaultEvery       = 5 * time.Second
	// A provider's Retry-After longer than this is cut to it.
	maxRetryAfter = time.Hour
)

// DefaultBackoff waits 15 s after the first failed attempt, doubling up to
// one hour, with up to 10 % jitter so replicas do not retry in step.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := 15 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d + rand.N(d/10+1)
}

// Sender delivers due outbox messages through a Provider. Several Senders
// (one per replica) may run on the same database: each message is claimed
// by exactly one of them at a time (see the package documentation).
type Sender struct {
	Client   *ent.Client
	Box      *pii.Box // opens recipient_sealed (pii.FieldPhone)
	Provider Provider
	Logger   *slog.Logger
	// Batch is the most messages one RunOnce handles; 0 means DefaultBatch.
	Batch int
	// MaxAttempts is the number of attempts before a message is FAILED;
	// 0 means DefaultMaxAttempts. An attempt interrupted by a crash counts.
	MaxAttempts int
	// Backoff is the wait after the attempt-th failed attempt (1-based);
	// nil means DefaultBackoff.
	Backoff func(attempt int) time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ClaimFor is how long a claimed message stays reserved for this
	// Sender: if the process dies mid-send, another Sender retries the
	// message after this. Each provider call is given half of it as a
	// deadline, so a live claim outlasts the send. 0 means DefaultClaimFor.
	ClaimFor time.Duration
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Sender) batch() int {
	if s.Batch > 0 {
		return s.Batch
	}
	return DefaultBatch
}

func (s *Sender) maxAttempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (s *Sender) claimFor() time.Duration {
	if s.ClaimFor > 0 {
		return s.ClaimFor
	}
	return DefaultClaimFor
}

func (s *Sender) backoff(attempt int) time.Duration {
	if s.Backoff != nil {
		return s.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

// RunOnce handles the due messages (PENDING with next_attempt_at <= now, at
// most Batch of them, oldest first): it claims each, sends it, and marks it
// SENT, schedules a retry (next_attempt_at = now + backoff) or marks it
// FAILED (permanent error, or MaxAttempts reached). Messages another Sender
// claimed first are skipped. It returns what it did; err is a database
// error or the context's.
func (s *Sender) RunOnce(ctx context.Context) (sent, retried, failed int, err error) {
	now := s.now()
	due, err := s.Client.OutboxMessage.Query().
		Where(
			outboxmessage.StatusEQ(outboxmessage.StatusPENDING),
			outboxmessage.NextAttemptAtLTE(now),
		).
		Order(ent.Asc(outboxmessage.FieldNextAttemptAt), ent.Asc(outboxmessage.FieldID)).
		Limit(s.batch()).
		All(ctx)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("outbox: list due messages: %w", err)
	}
	for _, m := range due {
		if err := ctx.Err(); err != nil {
			return sent, retried, failed, err
		}
		res, err := s.handle(ctx, m)
		if err != nil {
			return sent, retried, failed, err
		}
		switch res {
		case resultSent:
			sent++
		case resultRetried:
			retried++
		case resultFailed:
			failed++
		}
	}
	return sent, retried, failed, nil
}

type result int

const (
	resultSkipped result = iota // claimed by another Sender
	resultSent
	resultRetried
	resultFailed
)

// handle takes one due message through its steps: give it up when its
// attempts were used up by interrupted sends, claim it, send it, and record
// the outcome. Each step is conditioned on the row as this Sender last saw
// it, so a message another Sender claimed meanwhile is skipped.
func (s *Sender) handle(ctx context.Context, m *ent.OutboxMessage) (result, error) {
	// Read the clock per message: a slow batch must not claim its last
	// messages for a period that has already run out.
	now := s.now()
	// The row exactly as read: still pending, still due, and not claimed
	// since (every claim bumps attempts).
	asRead := []predicate.OutboxMessage{
		outboxmessage.ID(m.ID),
		outboxmessage.StatusEQ(outboxmessage.StatusPENDING),
		outboxmessage.Attempts(m.Attempts),
		outboxmessage.NextAttemptAtLTE(now),
	}
	log := s.logger().With("key", m.Key, "to", m.RecipientMasked)
	if m.Attempts >= s.maxAttempts() {
		return s.giveUpInterrupted(ctx, log, m, asRead)
	}
	claimFor := s.claimFor()
	a, err := s.claim(ctx, log, m, asRead, now.Add(claimFor))
	if err != nil || a == nil {
		return resultSkipped, err
	}

	// Record the outcome even when ctx is cancelled (shutdown) during the
	// send: a delivered message should be marked SENT if at all possible.
	markCtx, cancelMark := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancelMark()

	phone, err := s.Box.Open(pii.FieldPhone, m.RecipientSealed)
	if err != nil {
		return s.fail(markCtx, a, "recipient does not open with the configured personal-data key")
	}
	sendCtx, cancelSend := context.WithTimeout(ctx, claimFor/2)
	sendErr := s.Provider.Send(sendCtx, m.Key, phone, m.Body)
	cancelSend()
	done := s.now()
	if sendErr == nil {
		return s.markSent(markCtx, a, done)
	}
	return s.afterFailedSend(markCtx, a, scrub(sendErr.Error(), phone, m.RecipientMasked), sendErr, done)
}

// attempt is one claimed send of a message.
type attempt struct {
	m   *ent.OutboxMessage
	log *slog.Logger
	// n counts the attempts, this one included.
	n int
	// mine selects the row while this Sender's claim holds.
	mine []predicate.OutboxMessage
}

// giveUpInterrupted fails a message whose attempts are used up but which is
// still PENDING: its last attempts were interrupted (the process died
// mid-send, e.g. a provider that crashes on it). Giving up ends the crash
// loop; it may have been delivered, and FAILED tells an operator to check.
func (s *Sender) giveUpInterrupted(ctx context.Context, log *slog.Logger, m *ent.OutboxMessage, asRead []predicate.OutboxMessage) (result, error) {
	n, err := s.Client.OutboxMessage.Update().Where(asRead...).
		SetStatus(outboxmessage.StatusFAILED).
		SetLastError(fmt.Sprintf("gave up after %d attempts interrupted before completion", m.Attempts)).
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox: fail %s: %w", m.Key, err)
	}
	if n == 0 {
		return resultSkipped, nil
	}
	log.Warn("sms failed: attempts used up by interrupted sends", "attempts", m.Attempts)
	return resultFailed, nil
}

// claim counts the attempt and pushes next_attempt_at to until, past the
// send, but only if nobody else did since the row was read. Only the Sender
// whose UPDATE changed the row sends; a crash from here on leaves the
// message PENDING, due again when the claim expires. A nil attempt means
// another Sender claimed it first.
func (s *Sender) claim(ctx context.Context, log *slog.Logger, m *ent.OutboxMessage, asRead []predicate.OutboxMessage, until time.Time) (*attempt, error) {
	n, err := s.Client.OutboxMessage.Update().Where(asRead...).
		AddAttempts(1).
		SetNextAttemptAt(until).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox: claim %s: %w", m.Key, err)
	}
	if n == 0 {
		return nil, nil
	}
	attempts := m.Attempts + 1
	return &attempt{m: m, log: log, n: attempts, mine: []predicate.OutboxMessage{
		outboxmessage.ID(m.ID),
		outboxmessage.StatusEQ(outboxmessage.StatusPENDING),
		outboxmessage.Attempts(attempts),
	}}, nil
}

// markSent records a delivery. It is not conditioned on attempts: if the
// claim expired and another Sender re-sent the same key, the message was
// still delivered.
func (s *Sender) markSent(ctx context.Context, a *attempt, done time.Time) (result, error) {
	n, err := s.Client.OutboxMessage.Update().
		Where(outboxmessage.ID(a.m.ID), outboxmessage.StatusEQ(outboxmessage.StatusPENDING)).
		SetStatus(outboxmessage.StatusSENT).
		SetSentAt(done).
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox: mark %s sent: %w", a.m.Key, err)
	}
	if n == 0 {
		return resultSkipped, nil
	}
	a.log.Info("sms sent", "attempts", a.n)
	return resultSent, nil
}

// afterFailedSend fails the message (a permanent error, or the last
// attempt) or schedules its retry after the backoff, or after the
// provider's Retry-After when that is longer. reason is sendErr's text
// scrubbed of personal data.
func (s *Sender) afterFailedSend(ctx context.Context, a *attempt, reason string, sendErr error, done time.Time) (result, error) {
	if IsPermanent(sendErr) {
		return s.fail(ctx, a, "permanent: "+reason)
	}
	if a.n >= s.maxAttempts() {
		return s.fail(ctx, a, fmt.Sprintf("gave up after %d attempts: %s", a.n, reason))
	}
	wait := s.backoff(a.n)
	if ra := min(retryAfterOf(sendErr), maxRetryAfter); ra > wait {
		wait = ra
	}
	n, err := s.Client.OutboxMessage.Update().Where(a.mine...).
		SetNextAttemptAt(done.Add(wait)).
		SetLastError(validate.Clip(reason, 500)).
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox: schedule retry of %s: %w", a.m.Key, err)
	}
	if n == 0 {
		return resultSkipped, nil
	}
	a.log.Warn("sms send failed, will retry", "attempts", a.n, "retry_in", wait, "error", reason)
	return resultRetried, nil
}

// fail marks a claimed message FAILED with reason.
func (s *Sender) fail(ctx context.Context, a *attempt, reason string) (result, error) {
	n, err := s.Client.OutboxMessage.Update().Where(a.mine...).
		SetStatus(outboxmessage.StatusFAILED).
		SetLastError(validate.Clip(reason, 500)).
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox: mark %s failed: %w", a.m.Key, err)
	}
	if n == 0 {
		return resultSkipped, nil
	}
	a.log.Error("sms failed", "attempts", a.n, "error", reason)
	return resultFailed, nil
}

// Run calls RunOnce every interval (0 means DefaultEvery), at once again
// while full batches keep coming, until ctx is done.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultEvery
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sent, retried, failed, err := s.RunOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		next := every
		if err != nil {
			s.logger().Error("outbox sender", "error", err)
		} else if sent+retried+failed >= s.batch() {
			next = 0 // more may be due
		}
		t.Reset(next)
	}
}

var longDigits = regexp.MustCompile(`\d{7,}`)

// scrub keeps personal data out of last_error and the logs: the phone is
// replaced by its masked form and any other long digit run is blanked.
func scrub(msg, phone, masked string) string {
	if phone != "" {
		msg = strings.ReplaceAll(msg, phone, masked)
	}
	return longDigits.ReplaceAllStringFunc(msg, func(d string) string { return strings.Repeat("*", len(d)) })
}
