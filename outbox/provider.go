package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/mashang/mashang/pii"
)

// Provider delivers one SMS. key is the message's idempotency key, the same
// on every attempt, so a provider can drop a duplicate delivery. An error is
// retried with backoff unless it is Permanent.
type Provider interface {
	Send(ctx context.Context, key, phone, body string) error
}

// permanentError marks an error that retrying cannot fix (the gateway
// rejected the request).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying: the Sender marks the message
// FAILED at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// retryAfterError carries the provider's requested wait (HTTP Retry-After).
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter marks err as retryable no sooner than after d.
func RetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &retryAfterError{err: err, after: d}
}

func retryAfterOf(err error) time.Duration {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after
	}
	return 0
}

// LogProvider is the default provider: it writes each SMS to the log
// instead of sending it (development, demos, deployments without a
// gateway). It logs the key, the masked phone and the body — never the full
// number.
type LogProvider struct{ Logger *slog.Logger }

// Send logs the message.
func (p LogProvider) Send(ctx context.Context, key, phone, body string) error {
	l := p.Logger
	if l == nil {
		l = slog.Default()
	}
	l.InfoContext(ctx, "sms (log provider, not sent)", "key", key, "to", pii.MaskPhone(phone), "body", body)
	return nil
}

// WebhookProvider POSTs each SMS as JSON {"key","phone","body"} to an SMS
// gateway. The key is also sent as the Idempotency-Key header: the gateway
// must deliver at most one SMS per key, which makes the Sender's
// at-least-once resend after a crash harmless. Token, when set, is sent as a
// bearer token.
//
// Responses: 2xx is delivered; 429 and 5xx and network errors are retried by
// the Sender with backoff (honouring Retry-After); any other 4xx is a
// permanent rejection and the message is marked FAILED. Errors never carry
// the phone number or the response body.
type WebhookProvider struct {
	URL    string
	Client *http.Client // nil: a client with a 10 s timeout
	Token  string
}

var defaultWebhookClient = &http.Client{Timeout: 10 * time.Second}

type webhookPayload struct {
	Key   string `json:"key"`
	Phone string `json:"phone"`
	Body  string `json:"body"`
}

// Send posts the message once; retries are the Sender's (they are recorded
// in the outbox row and survive restarts).
func (p WebhookProvider) Send(ctx context.Context, key, phone, body string) error {
	payload, err := json.Marshal(webhookPayload{Key: key, Phone: phone, Body: body})
	if err != nil {
		return Permanent(fmt.Errorf("webhook: encode: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, bytes.NewReader(payload))
	if err != nil {
		// A malformed URL is a configuration error; say so without echoing
		// the URL (it may carry credentials).
		return Permanent(errors.New("webhook: invalid URL"))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Idempotency-Key", key)
	if p.Token != "" {
		req.Header.Set("Authorization", "Bearer "+p.Token)
	}
	c := p.Client
	if c == nil {
		c = defaultWebhookClient
	}
	resp, err := c.Do(req)
	if err != nil {
		// url.Error repeats the URL; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook: request failed: %v", err)
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused; never keep the body
	// (a gateway may echo the phone number).
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests:
		return RetryAfter(fmt.Errorf("webhook: HTTP %d", code), parseRetryAfter(resp.Header.Get("Retry-After")))
	case code >= 400 && code < 500:
		return Permanent(fmt.Errorf("webhook: HTTP %d", code))
	default:
		return RetryAfter(fmt.Errorf("webhook: HTTP %d", code), parseRetryAfter(resp.Header.Get("Retry-After")))
	}
}

// parseRetryAfter reads delay-seconds or an HTTP date; 0 when absent.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}
