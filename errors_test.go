package mashang_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/errcode"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"

	"github.com/mashang/mashang"
)

// codeName is how an error code constant is spelled: E and capitals.
// codeLike also matches the other spellings codes had (ESiteNotEnabled).
var (
	codeName = regexp.MustCompile(`^E[A-Z]+$`)
	codeLike = regexp.MustCompile(`^E[A-Z][A-Za-z]*$`)
)

// goCodes reads the error code constants of errors.go: name → wire value,
// and the names that have no doc comment.
func goCodes(t *testing.T) (codes map[string]string, undocumented []string) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	codes = map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !codeName.MatchString(n.Name) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s is not a string literal", n.Name)
				}
				codes[n.Name], _ = strconv.Unquote(lit.Value)
				if vs.Doc == nil || !strings.HasPrefix(vs.Doc.Text(), n.Name+": ") {
					undocumented = append(undocumented, n.Name)
				}
			}
		}
	}
	if len(codes) < 10 {
		t.Fatalf("found only %d codes in errors.go: %v", len(codes), codes)
	}
	return codes, undocumented
}

// schemaCodes reads the enum ErrorCode of schema/errors.graphqls: value →
// description.
func schemaCodes(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("schema/errors.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gqlparser.ParseSchema(&gqlast.Source{Name: "errors.graphqls", Input: string(b)})
	if err != nil {
		t.Fatal(err)
	}
	enum := doc.Definitions.ForName("ErrorCode")
	if enum == nil || enum.Kind != gqlast.Enum {
		t.Fatal("schema/errors.graphqls declares no enum ErrorCode")
	}
	values := map[string]string{}
	for _, v := range enum.EnumValues {
		values[v.Name] = v.Description
	}
	return values
}

// TestErrorCodes keeps the Go list and the schema enum the same list.
func TestErrorCodes(t *testing.T) {
	codes, undocumented := goCodes(t)
	enum := schemaCodes(t)
	wire := map[string]string{} // wire value → Go name
	for name, v := range codes {
		if other, dup := wire[v]; dup {
			t.Errorf("%s and %s are both %q", name, other, v)
		}
		wire[v] = name
	}
	t.Run("EveryGoCodeInTheSchema", func(t *testing.T) {
		for name, v := range codes {
			if _, ok := enum[v]; !ok {
				t.Errorf("%s = %q is not a value of enum ErrorCode in schema/errors.graphqls", name, v)
			}
		}
	})
	t.Run("EverySchemaValueInGo", func(t *testing.T) {
		for v := range enum {
			if _, ok := wire[v]; !ok {
				t.Errorf("enum ErrorCode has %s, which no constant of errors.go declares", v)
			}
		}
	})
	t.Run("EveryCodeDocumented", func(t *testing.T) {
		slices.Sort(undocumented)
		for _, name := range undocumented {
			t.Errorf("%s has no comment starting %q in errors.go", name, name+": ")
		}
		for v, desc := range enum {
			if len(strings.Fields(desc)) < 5 {
				t.Errorf("enum value %s says too little for a client: %q", v, desc)
			}
		}
	})
	t.Run("GqlgenCodes", func(t *testing.T) {
		if mashang.EGRAPHQLPARSE != errcode.ParseFailed || mashang.EGRAPHQLVALIDATION != errcode.ValidationFailed {
			t.Errorf("gqlgen spells its codes %q and %q", errcode.ParseFailed, errcode.ValidationFailed)
		}
	})
}

// TestErrorCodesComeFromTheList fails when a package declares a code of its
// own or passes a code spelled as a literal: every code is one of errors.go.
func TestErrorCodesComeFromTheList(t *testing.T) {
	codes, _ := goCodes(t)
	skip := map[string]bool{".git": true, "ent": true, "generated": true, "model": true, "web-admin": true, "node_modules": true, "testdata": true}
	var checked int
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] && path != "ent/schema" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || path == "errors.go" || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		root := filepath.Dir(path) == "."
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				if n.Tok != token.CONST {
					return true
				}
				for _, name := range constNames(n) {
					if codeLike.MatchString(name) {
						t.Errorf("%s declares %s: declare error codes in errors.go", path, name)
					}
				}
			case *ast.CallExpr:
				fn := calleeName(n.Fun, root)
				if (fn == "Errorf" || fn == "FieldErrorf") && len(n.Args) > 0 && !isListedCode(n.Args[0], root, codes) {
					t.Errorf("%s: mashang.%s with code %s, not a constant of errors.go", path, fn, exprString(n.Args[0]))
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.BasicLit); ok && k.Value == `"code"` && !isListedCode(n.Value, root, codes) {
					if _, lit := n.Value.(*ast.BasicLit); lit {
						t.Errorf("%s: extensions code %s, not a constant of errors.go", path, exprString(n.Value))
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files", checked)
	}
}

func constNames(g *ast.GenDecl) []string {
	var names []string
	for _, s := range g.Specs {
		for _, n := range s.(*ast.ValueSpec).Names {
			names = append(names, n.Name)
		}
	}
	return names
}

// calleeName is the name of a mashang function called: mashang.X, or X in
// the root package itself.
func calleeName(fun ast.Expr, root bool) string {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "mashang" {
			return f.Sel.Name
		}
	case *ast.Ident:
		if root {
			return f.Name
		}
	}
	return ""
}

func isListedCode(e ast.Expr, root bool, codes map[string]string) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		_, listed := codes[e.Sel.Name]
		return ok && x.Name == "mashang" && listed
	case *ast.Ident:
		_, listed := codes[e.Name]
		return root && listed
	}
	return false
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Value
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

// notFound stands for an error type callers test with errors.As, the way
// ent.IsNotFound does.
type notFound struct{ label string }

func (e *notFound) Error() string { return e.label + " not found" }

func TestWrap(t *testing.T) {
	t.Run("Nil", func(t *testing.T) {
		if err := mashang.Wrap(nil, "audit.Seal"); err != nil {
			t.Fatalf("Wrap(nil) = %v", err)
		}
	})
	t.Run("InternalErrorNamesTheOperation", func(t *testing.T) {
		err := mashang.Wrap(sql.ErrNoRows, "audit.Seal")
		if got, want := err.Error(), "audit.Seal: "+sql.ErrNoRows.Error(); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			t.Error("errors.Is does not find the cause")
		}
		if mashang.ErrorCode(err) != mashang.EINTERNAL || mashang.ErrorMessage(err) != "internal error" {
			t.Errorf("client sees %s %q", mashang.ErrorCode(err), mashang.ErrorMessage(err))
		}
	})
	t.Run("OperationsNest", func(t *testing.T) {
		err := mashang.Wrap(mashang.Wrap(context.Canceled, "tree.load"), "scheduler.sweep")
		if got, want := err.Error(), "scheduler.sweep: tree.load: context canceled"; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
		if !errors.Is(err, context.Canceled) {
			t.Error("errors.Is does not find context.Canceled")
		}
	})
	t.Run("TypedCauseStaysVisible", func(t *testing.T) {
		var nf *notFound
		if !errors.As(mashang.Wrap(&notFound{"person"}, "pii.Open"), &nf) || nf.label != "person" {
			t.Error("errors.As does not find the cause's type")
		}
	})
	t.Run("CodedErrorUnchanged", func(t *testing.T) {
		coded := mashang.FieldErrorf(mashang.ENOTFOUND, "id", "No node has the ID %d.", 7)
		err := mashang.Wrap(coded, "tree.Path")
		if err != error(coded) {
			t.Fatalf("Wrap changed a coded error: %#v", err)
		}
		if err.Error() != "No node has the ID 7." {
			t.Errorf("Error() = %q: the operation reached the message", err.Error())
		}
	})
	t.Run("CodedErrorDeeperInTheChainUnchanged", func(t *testing.T) {
		inner := fmt.Errorf("checking: %w", mashang.Errorf(mashang.ECONFLICT, "Taken."))
		err := mashang.Wrap(inner, "accounts.create")
		if err != inner {
			t.Fatalf("Wrap changed an error carrying a code: %v", err)
		}
		if mashang.ErrorCode(err) != mashang.ECONFLICT || mashang.ErrorMessage(err) != "Taken." {
			t.Errorf("client sees %s %q", mashang.ErrorCode(err), mashang.ErrorMessage(err))
		}
	})
}
