// Command mashang is the platform's one binary: `mashang serve`, `migrate`,
// `import-regions`, `seed-demo`, `audit verify|seal`, `version`; `mashang
// help` lists them. It only wires packages together (package app).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mashang/mashang/app"
)

func main() {
	// Every timestamp is written in UTC: SQLite compares stored times as
	// text, which is only right when all writers use one zone.
	time.Local = time.UTC
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, app.ErrUsage) {
			fmt.Fprintln(os.Stderr, "mashang:", err)
		}
		os.Exit(1)
	}
}
