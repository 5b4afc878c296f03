package alerts_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

func numbered(n int, scope string) []alerts.Message {
	msgs := make([]alerts.Message, n)
	for i := range msgs {
		msgs[i] = alerts.Message{AlertID: i + 1, ScopePath: scope}
	}
	return msgs
}

// publish calls b.Publish and fails if it does not return promptly:
// publishers are never held up by subscribers.
func publish(t *testing.T, b alerts.Broker, msgs []alerts.Message) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- b.Publish(context.Background(), msgs) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Publish blocked")
	}
}

func closed(t *testing.T, ch <-chan alerts.Message) {
	t.Helper()
	select {
	case m, ok := <-ch:
		if ok {
			t.Fatalf("got %+v, want the subscription closed", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("subscription not closed")
	}
}

func TestMemoryBroker(t *testing.T) {
	t.Run("FanOut", func(t *testing.T) {
		b := alerts.NewMemoryBroker()
		defer b.Close()
		s1, cancel1 := b.Subscribe()
		s2, cancel2 := b.Subscribe()
		defer cancel2()
		msgs := numbered(10, siteA)
		publish(t, b, msgs)
		for _, s := range []<-chan alerts.Message{s1, s2} {
			for _, want := range msgs {
				if got := receive(t, s); got != want {
					t.Fatalf("got %+v, want %+v", got, want)
				}
			}
			empty(t, s)
		}
		cancel1()
		cancel1() // twice is harmless
		closed(t, s1)
		publish(t, b, msgs[:1])
		if got := receive(t, s2); got != msgs[0] {
			t.Fatalf("after a cancel: got %+v", got)
		}
	})

	t.Run("DropWhenFull", func(t *testing.T) {
		b := alerts.NewMemoryBroker()
		defer b.Close()
		slow, cancel := b.Subscribe()
		defer cancel()
		msgs := numbered(alerts.SubscriberBuffer+44, siteA)
		publish(t, b, msgs)
		if got := b.(alerts.DropCounter).Dropped(); got != 44 {
			t.Fatalf("dropped %d, want 44", got)
		}
		// A subscriber that joins later is not affected by the slow one.
		fast, cancelFast := b.Subscribe()
		defer cancelFast()
		publish(t, b, msgs[:1])
		if got := receive(t, fast); got != msgs[0] {
			t.Fatalf("fast subscriber got %+v", got)
		}
		if got := b.(alerts.DropCounter).Dropped(); got != 45 {
			t.Fatalf("dropped %d, want 45 (the full subscriber dropped one more)", got)
		}
		for _, want := range msgs[:alerts.SubscriberBuffer] {
			if got := receive(t, slow); got != want {
				t.Fatalf("slow subscriber got %+v, want %+v", got, want)
			}
		}
		empty(t, slow)
	})

	t.Run("Close", func(t *testing.T) {
		b := alerts.NewMemoryBroker()
		s, _ := b.Subscribe()
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		closed(t, s)
		if err := b.Publish(context.Background(), numbered(1, siteA)); !errors.Is(err, alerts.ErrClosed) {
			t.Fatalf("Publish after Close: %v, want ErrClosed", err)
		}
		late, cancel := b.Subscribe()
		cancel()
		closed(t, late)
	})
}

// The service never fails its caller for a push that cannot go out: it
// logs the failure.
func TestServicePublishFailure(t *testing.T) {
	var logged strings.Builder
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	b := alerts.NewMemoryBroker()
	b.Close()
	svc := &alerts.Service{Broker: b}
	svc.Publish(context.Background(), numbered(1, siteA))
	if !strings.Contains(logged.String(), "alerts: publish failed") || !strings.Contains(logged.String(), alerts.ErrClosed.Error()) {
		t.Fatalf("a failed push was not logged; log: %q", logged.String())
	}
	logged.Reset()
	(&alerts.Service{}).Publish(context.Background(), numbered(1, siteA)) // no broker: nothing to do
	if logged.Len() != 0 {
		t.Fatalf("without a broker: logged %q", logged.String())
	}
}

// isolatedDatabase creates a database of the test's own for the brokers
// and returns its DSN and a pool on it. Notification channels are per
// database, not per schema: in the shared test database other packages'
// tests push alerts on the same channel at the same time, and their
// messages would fill this test's subscription buffers.
func isolatedDatabase(t *testing.T, db *database.DB) (string, *sql.DB) {
	t.Helper()
	var rb [6]byte
	_, _ = rand.Read(rb[:])
	name := "alerts_" + hex.EncodeToString(rb[:])
	if _, err := db.SQL.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create a database for the broker test: %v", err)
	}
	// Registered first, so it runs last: after the brokers and the pool
	// are closed.
	t.Cleanup(func() { db.SQL.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, err := url.Parse(dbtest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	pool, err := sql.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return u.String(), pool
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tWriter{t}, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// PostgreSQL: two brokers on one database stand for two replicas. The
// test's messages carry a scope of their own, and only those are counted.
func TestPostgresBroker(t *testing.T) {
	db := dbtest.Open(t, dialect.Postgres, database.Options{})
	dsn, pool := isolatedDatabase(t, db)
	newBroker := func() alerts.Broker {
		t.Helper()
		b, err := alerts.NewPostgresBroker(dsn, pool, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	replica1, replica2 := newBroker(), newBroker()

	var rb [6]byte
	_, _ = rand.Read(rb[:])
	mark := "/t" + hex.EncodeToString(rb[:]) + "/"
	sentinels := 0
	// until reads ch up to the next sentinel published on via, and returns
	// this test's messages before it.
	until := func(t *testing.T, via alerts.Broker, subs ...<-chan alerts.Message) [][]alerts.Message {
		t.Helper()
		sentinels++
		end := alerts.Message{AlertID: -sentinels, ScopePath: mark + "end/"}
		publish(t, via, []alerts.Message{end})
		out := make([][]alerts.Message, len(subs))
		deadline := time.After(20 * time.Second)
		for i, ch := range subs {
			for done := false; !done; {
				select {
				case m, ok := <-ch:
					if !ok {
						t.Fatal("subscription closed")
					}
					switch {
					case m == end:
						done = true
					case strings.HasPrefix(m.ScopePath, mark+"end/"):
						t.Fatalf("subscriber %d: stale or repeated sentinel %+v", i, m)
					case strings.HasPrefix(m.ScopePath, mark):
						out[i] = append(out[i], m)
					}
				case <-deadline:
					t.Fatalf("subscriber %d: sentinel not received within 20s (got %d messages)", i, len(out[i]))
				}
			}
		}
		return out
	}
	sameOnce := func(t *testing.T, got [][]alerts.Message, want []alerts.Message) {
		t.Helper()
		for i, g := range got {
			if len(g) != len(want) {
				t.Fatalf("subscriber %d got %d messages, want %d exactly once", i, len(g), len(want))
			}
			for j := range g {
				if g[j] != want[j] {
					t.Fatalf("subscriber %d message %d = %+v, want %+v", i, j, g[j], want[j])
				}
			}
		}
	}

	s1, c1 := replica1.Subscribe()
	defer c1()
	s2, c2 := replica2.Subscribe()
	defer c2()
	s3, c3 := replica2.Subscribe()
	defer c3()

	t.Run("EverySubscriberOfEveryReplicaOnce", func(t *testing.T) {
		want := []alerts.Message{
			{AlertID: 1, ScopePath: mark + "a/", Sector: "HEALTH"},
			{AlertID: 2, ScopePath: mark + "b/", AssigneeID: 77},
			{AlertID: 3, ScopePath: mark + "c/"},
		}
		publish(t, replica1, want)
		sameOnce(t, until(t, replica1, s1, s2, s3), want)
		// And the other way round.
		publish(t, replica2, want[:1])
		sameOnce(t, until(t, replica2, s1, s2, s3), want[:1])
	})

	t.Run("LargeBatchSplit", func(t *testing.T) {
		raw := pq.NewListener(dsn, time.Second, time.Minute, nil)
		defer raw.Close()
		if err := raw.Listen(alerts.Channel); err != nil {
			t.Fatal(err)
		}
		// 250 messages of ~330 bytes: ~80 kB, ten times what one
		// notification holds, and fewer than a subscriber buffers.
		long := mark + strings.Repeat("x", 280) + "/"
		want := make([]alerts.Message, 250)
		size := 0
		for i := range want {
			want[i] = alerts.Message{AlertID: 1000 + i, ScopePath: fmt.Sprintf("%s%d/", long, i), Sector: "COMMERCE"}
			j, _ := json.Marshal(want[i])
			size += len(j) + 1
		}
		publish(t, replica1, want)
		sameOnce(t, until(t, replica1, s1, s2, s3), want)

		// What went over the wire: a few full notifications, none too long.
		var notes []string
		var decoded []alerts.Message
		timeout := time.After(20 * time.Second)
		for len(decoded) < len(want)+1 {
			select {
			case n := <-raw.Notify:
				if n == nil || !strings.Contains(n.Extra, mark) {
					continue
				}
				var ms []alerts.Message
				if err := json.Unmarshal([]byte(n.Extra), &ms); err != nil {
					t.Fatalf("payload is not a JSON array of messages: %v", err)
				}
				if len(n.Extra) >= 8000 {
					t.Fatalf("payload of %d bytes", len(n.Extra))
				}
				if strings.Contains(n.Extra, mark+"end/") {
					decoded = append(decoded, ms...)
					continue
				}
				notes = append(notes, n.Extra)
				decoded = append(decoded, ms...)
			case <-timeout:
				t.Fatalf("raw listener saw %d messages", len(decoded))
			}
		}
		// Fewer is impossible; more would waste most of each notification.
		if lo, hi := (size+7999)/8000, size/7000+1; len(notes) < lo || len(notes) > hi {
			t.Fatalf("%d notifications for %d bytes of messages, want %d to %d", len(notes), size, lo, hi)
		}
	})

	t.Run("ServicePublish", func(t *testing.T) {
		svc := &alerts.Service{Client: db.Client, Broker: replica1, Enforcer: authz.MustEnforcer()}
		msgs := []alerts.Message{{AlertID: 5, ScopePath: mark + "220104/s1/"}}
		svc.Publish(context.Background(), msgs)
		got := until(t, replica1, s2)
		sameOnce(t, got, msgs)
		senior := &mashang.Viewer{Role: mashang.RoleSenior, ScopePath: mark}
		if !svc.Visible(senior, mark, got[0][0]) {
			t.Fatal("the senior of the scope does not see it")
		}
	})

	t.Run("Close", func(t *testing.T) {
		b, err := alerts.NewPostgresBroker(dsn, pool, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := b.Subscribe()
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		closed(t, s)
		if err := b.Publish(context.Background(), numbered(1, mark)); !errors.Is(err, alerts.ErrClosed) {
			t.Fatalf("Publish after Close: %v", err)
		}
		if err := b.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})

	t.Run("ErrUnreachable", func(t *testing.T) {
		start := time.Now()
		_, err := alerts.NewPostgresBroker("postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", pool, testLogger(t))
		if err == nil {
			t.Fatal("no error for an unreachable server")
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("took %v to fail", d)
		}
	})
}

// Deployments in two schemas of one database (the tests', or two provinces
// sharing a server) listen on channels of their own and never hear each
// other's pushes.
func TestPostgresBrokerChannelPerSchema(t *testing.T) {
	if alerts.ChannelFor("") != alerts.Channel || alerts.ChannelFor("public") != alerts.Channel {
		t.Fatal("the default schema must use the plain channel")
	}
	if a, b := alerts.ChannelFor("t_1"), alerts.ChannelFor("t_2"); a == b || len(alerts.ChannelFor(strings.Repeat("s", 100))) > 63 {
		t.Fatalf("channels %q %q", a, b)
	}
	db := dbtest.Open(t, dialect.Postgres, database.Options{})
	dsn, pool := isolatedDatabase(t, db)
	open := func(schema string) alerts.Broker {
		t.Helper()
		b, err := alerts.NewPostgresBrokerOn(dsn, pool, alerts.ChannelFor(schema), testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	one, other := open("province_22"), open("province_44")
	heard, stop := other.Subscribe()
	defer stop()
	own, stopOwn := one.Subscribe()
	defer stopOwn()
	if err := one.Publish(context.Background(), []alerts.Message{{AlertID: 7, ScopePath: "/22/"}}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-own:
		if m.AlertID != 7 {
			t.Fatalf("own channel delivered %+v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the publishing schema's own subscriber heard nothing")
	}
	// PostgreSQL delivers notifications in commit order: once the other
	// schema's broker hears a sentinel published after the message, it
	// would have heard the message before it.
	sentinel := alerts.Message{AlertID: 8, ScopePath: "/44/"}
	publish(t, other, []alerts.Message{sentinel})
	if m := receive(t, heard); m != sentinel {
		t.Fatalf("another schema's broker heard %+v", m)
	}
}
