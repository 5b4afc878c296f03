package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mashang/mashang/app"
)

func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = app.Run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// Every command answers -h with its usage on stdout and no error (exit
// status 0), without touching the database.
func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // a flag of the command
	}{
		{[]string{"serve"}, "-addr"},
		{[]string{"migrate"}, "-database"},
		{[]string{"import-regions"}, "-from"},
		{[]string{"seed-demo"}, "-database"},
		{[]string{"audit", "verify"}, "-anchor"},
		{[]string{"audit", "seal"}, "-database"},
		{[]string{"stats", "verify"}, "-from"},
		{[]string{"stats", "rebuild"}, "-from"},
		{[]string{"version"}, "Usage: mashang version"},
	} {
		name := strings.Join(tc.args, " ")
		for _, h := range []string{"-h", "--help"} {
			t.Run(name+" "+h, func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "untouched.db")
				args := append(tc.args, "--database="+db, h)
				if name == "version" { // it has no database flag
					args = append(tc.args, h)
				}
				stdout, stderr, err := run(t, args...)
				if err != nil || stderr != "" {
					t.Fatalf("%s %s = %v, stderr %q; want usage and no error", name, h, err, stderr)
				}
				if !strings.HasPrefix(stdout, "Usage: mashang "+name) || !strings.Contains(stdout, tc.want) {
					t.Errorf("%s %s printed\n%s", name, h, stdout)
				}
				if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s %s opened the database", name, h)
				}
			})
		}
	}
	t.Run("help COMMAND", func(t *testing.T) {
		stdout, _, err := run(t, "help", "audit", "verify")
		if err != nil || !strings.HasPrefix(stdout, "Usage: mashang audit verify") {
			t.Fatalf("help audit verify = %v\n%s", err, stdout)
		}
	})
	t.Run("audit -h", func(t *testing.T) {
		stdout, _, err := run(t, "audit", "-h")
		if err != nil || !strings.Contains(stdout, "mashang audit verify") || !strings.Contains(stdout, "mashang audit seal") ||
			strings.Contains(stdout, "mashang serve") {
			t.Fatalf("audit -h = %v\n%s", err, stdout)
		}
	})
}

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		stdout, _, err := run(t, args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, c := range []string{"serve", "migrate", "import-regions", "seed-demo", "audit verify", "audit seal", "stats verify", "stats rebuild", "version", "help"} {
			if !strings.Contains(stdout, "\n  mashang "+c+" ") {
				t.Errorf("%v does not list %s:\n%s", args, c, stdout)
			}
		}
	}
}

// A bad command line prints usage to stderr and returns ErrUsage (exit
// status 1), before anything is opened.
func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "untouched.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"NoCommand", nil, "Usage:"},
		{"UnknownCommand", []string{"bogus"}, `unknown command "bogus"`},
		{"UnknownFlag", []string{"serve", "--bogus", "--database", db}, "flag provided but not defined: -bogus"},
		{"MissingRequiredFlag", []string{"import-regions", "--database", db}, "import-regions needs --from"},
		{"GroupWithoutCommand", []string{"audit"}, "mashang audit seal"},
		{"UnknownGroupCommand", []string{"audit", "bogus"}, `unknown audit command "bogus"`},
		{"HelpForUnknownCommand", []string{"help", "bogus"}, `unknown command "bogus"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := run(t, tc.args...)
			if !errors.Is(err, app.ErrUsage) {
				t.Fatalf("%v = %v; want ErrUsage", tc.args, err)
			}
			if stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v printed stdout %q, stderr\n%s\nwant %q on stderr", tc.args, stdout, stderr, tc.want)
			}
		})
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Error("a bad command line opened the database")
	}
}

func TestVersion(t *testing.T) {
	stdout, stderr, err := run(t, "version")
	if err != nil || stderr != "" {
		t.Fatalf("version = %v, stderr %q", err, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "mashang ") || !strings.HasPrefix(lines[1], "revision ") ||
		lines[2] != "built with "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH {
		t.Fatalf("version printed\n%s", stdout)
	}
}
