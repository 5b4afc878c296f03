package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain runs main itself when the test binary is started by
// TestExitStatus, so the exit status is the real one.
func TestMain(m *testing.M) {
	if os.Getenv("MASHANG_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		stdout string
		stderr string
	}{
		{"Help", []string{"help"}, 0, "mashang version", ""},
		{"CommandHelp", []string{"serve", "-h"}, 0, "Usage: mashang serve", ""},
		{"SubcommandHelp", []string{"audit", "verify", "-h"}, 0, "-anchor", ""},
		{"Version", []string{"version"}, 0, "revision ", ""},
		{"NoCommand", nil, 1, "", "Usage:"},
		{"UnknownCommand", []string{"bogus"}, 1, "", `unknown command "bogus"`},
		{"UnknownFlag", []string{"migrate", "--bogus"}, 1, "", "flag provided but not defined"},
		{"Failure", []string{"migrate", "--database", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"}, 1, "", "mashang: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tc.args...)
			cmd.Env = append(os.Environ(), "MASHANG_TEST_RUN_MAIN=1")
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tc.status || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("mashang %s: exit status %d, stdout\n%s\nstderr\n%s\nwant status %d, %q on stdout, %q on stderr",
					strings.Join(tc.args, " "), status, stdout.String(), stderr.String(), tc.status, tc.stdout, tc.stderr)
			}
		})
	}
}
