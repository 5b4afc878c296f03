package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/app"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/token"
)

// A guesser trying passwords for one phone from one address is refused
// after the configured number of attempts (--login-attempts): the setting
// reaches the login limiter NewServices wires.
func TestAGuesserIsRefusedAfterTheConfiguredLoginAttempts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		apitest.NewTree(t, db.Client).Add("", "22", "吉林省")
		box, err := pii.NewBox(pii.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		svc, err := app.NewServices(db, box, app.ServiceConfig{Signer: &token.Signer{Issuer: "22", Current: token.GenerateKey()}, LoginAttempts: 3},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Alerts.Broker.Close()
		if _, _, err := svc.Auth.BootstrapInitiator(ctx, "发起扫码员", "13900000009", "right-password-2026"); err != nil {
			t.Fatal(err)
		}
		// Right passwords, so no failure backoff plays a part: every login
		// counts against the bound.
		for i := range 3 {
			if _, err := svc.Auth.Login(ctx, "13900000009", "right-password-2026", "192.0.2.7:5000", 0); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		_, err = svc.Auth.Login(ctx, "13900000009", "right-password-2026", "192.0.2.7:5000", 0)
		if mashang.ErrorCode(err) != mashang.ERATELIMITED {
			t.Fatalf("attempt 4 with the right password: %v, want RATE_LIMITED", err)
		}
	})
}
