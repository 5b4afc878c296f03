// Package outbox delivers the SMS notices the platform owes account holders
// (seed 001 §10: 任何扫码员账号状态发生变化，平台都会向其预留的手机号发送状态变更的提醒短信)
// through a transactional outbox (DESIGN.md §5).
//
// Guarantees:
//
//   - Never lost. Enqueue writes the message in the caller's transaction,
//     beside the change it reports: the change and its notice commit or roll
//     back together. Sending happens only after the commit, from the table, so
//     a process that dies between commit and send merely delays the message;
//     the next Sender (on any replica, after a restart) picks it up.
//   - Never duplicated at the holder. Delivery is at-least-once: a process
//     that dies after the provider accepted a message but before the row was
//     marked SENT sends it again once its claim expires. Every send carries
//     the message's key, stable across attempts; the webhook provider passes
//     it as the Idempotency-Key header, so the SMS gateway drops the repeat
//     and the holder receives one text. A provider without such a key would
//     see that rare repeat.
//   - One sender at a time per message. Several replicas may run a Sender on
//     the same table. A Sender claims a message with a conditional UPDATE that
//     pushes next_attempt_at past the send (and counts the attempt) and sends
//     only when that UPDATE changed the row, so two replicas never send the
//     same message concurrently. This works alike on SQLite and PostgreSQL and
//     needs no lock held across the network call.
//
// The recipient is stored sealed (the same pii.Box ciphertext as the user
// row) and opened only at the moment of sending; logs and last_error carry
// the masked number only.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/outboxmessage"
)

// Message is one SMS to enqueue.
type Message struct {
	// Key identifies the message for idempotency: enqueueing the same key
	// twice stores one message, and the key travels with every send attempt
	// so a provider can drop a duplicate. At most 64 bytes; derive it from
	// the event (see StatusChangeKey), never from personal data.
	Key string
	// RecipientSealed is the holder's phone sealed with pii.Box for
	// pii.FieldPhone (copy users.phone_sealed).
	RecipientSealed []byte
	// RecipientMasked is the masked phone (users.phone_masked), for logs.
	RecipientMasked string
	// Body is the text, e.g. from StatusChangeSMS.
	Body string
}

// Enqueue writes m in the caller's transaction: pass the transaction's
// client (tx.Client()) so the message commits or rolls back with the change
// it reports. A second Enqueue with the same Key is a no-op, also inside a
// PostgreSQL transaction (ON CONFLICT DO NOTHING does not abort it).
func Enqueue(ctx context.Context, client *ent.Client, m Message) error {
	return EnqueueMany(ctx, client, []Message{m})
}

// enqueueChunk bounds one multi-row INSERT: 1,000 rows of 9 columns stay
// far below PostgreSQL's 65,535 parameters.
const enqueueChunk = 1000

// EnqueueMany writes many messages in the caller's transaction with one
// multi-row INSERT per 1,000 messages (a cascade that disables 10,000
// accounts notifies 10,000 holders). Keys already present are skipped, as
// in Enqueue.
func EnqueueMany(ctx context.Context, client *ent.Client, msgs []Message) error {
	now := time.Now()
	for start := 0; start < len(msgs); start += enqueueChunk {
		end := min(start+enqueueChunk, len(msgs))
		builders := make([]*ent.OutboxMessageCreate, 0, end-start)
		for _, m := range msgs[start:end] {
			switch {
			case m.Key == "" || len(m.Key) > 64:
				return fmt.Errorf("outbox: message key %q must have 1 to 64 bytes", m.Key)
			case len(m.RecipientSealed) == 0:
				return errors.New("outbox: message has no recipient")
			case m.Body == "":
				return errors.New("outbox: message body is empty")
			}
			builders = append(builders, client.OutboxMessage.Create().
				SetKey(m.Key).SetChannel(outboxmessage.ChannelSMS).
				SetRecipientSealed(m.RecipientSealed).SetRecipientMasked(m.RecipientMasked).
				SetBody(m.Body).SetStatus(outboxmessage.StatusPENDING).SetAttempts(0).
				SetNextAttemptAt(now).SetCreatedAt(now))
		}
		err := client.OutboxMessage.CreateBulk(builders...).
			OnConflictColumns(outboxmessage.FieldKey).DoNothing().Exec(ctx)
		// With DO NOTHING an existing key inserts no row, so RETURNING id
		// may yield nothing: that is the idempotent case, not an error.
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("outbox: enqueue %d messages: %w", end-start, err)
		}
	}
	return nil
}

// StatusChangeKey derives the idempotency key of the SMS reporting one
// status change of an account: the account, what happened (status or
// reason, e.g. "SILENT", "ACTIVE", ReasonCreated) and when. Callers that
// retry the same change with the same time get the same key.
func StatusChangeKey(accountID int, event string, at time.Time) string {
	if len(event) > 20 {
		event = event[:20]
	}
	return fmt.Sprintf("acct:%d:%s:%d", accountID, event, at.UnixNano())
}
