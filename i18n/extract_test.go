package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// usedFormat is one message format passed to mashang.Errorf or
// mashang.FieldErrorf somewhere in the module, with the expressions of its
// arguments (they name the placeholders).
type usedFormat struct {
	format string
	args   []ast.Expr
	pos    string
}

// usedFormats walks every non-test, non-generated Go file of the module and
// returns the string literals passed as the format of Errorf/FieldErrorf
// (mashang.Errorf outside the root package, Errorf inside it), including
// constants and package-level message vars built with them.
func usedFormats(t *testing.T) []usedFormat {
	t.Helper()
	var out []usedFormat
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "generated", "testdata", ".git":
				return filepath.SkipDir
			}
			if path == filepath.Join("..", "ent") || path == filepath.Join("..", "web-admin") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		root := f.Name.Name == "mashang"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			at := formatIndex(call.Fun, root)
			if at < 0 || len(call.Args) <= at {
				return true
			}
			format, ok := stringValue(call.Args[at])
			if id, isIdent := call.Args[at].(*ast.Ident); isIdent && id.Name == "format" && !ok {
				return true // inside a wrapper: its callers are read
			}
			if !ok {
				p := fset.Position(call.Pos())
				t.Errorf("%s:%d: the format of %s is not a string literal", p.Filename, p.Line, types(call.Fun))
				return true
			}
			u := usedFormat{format: format, pos: fset.Position(call.Pos()).String()}
			u.args = call.Args[at+1:]
			out = append(out, u)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("found only %d message formats", len(out))
	}
	return out
}

// wrappers are the functions that pass their parameter format on to
// mashang.Errorf: their callers give the literal.
var wrappers = map[string]bool{"fileError": true, "malformed": true}

// formatIndex is the position of the format among the arguments of a call
// to Errorf (1) or FieldErrorf (2), -1 for any other call.
func formatIndex(fun ast.Expr, root bool) int {
	name := ""
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "mashang" {
			name = f.Sel.Name
		}
	case *ast.Ident:
		if root {
			name = f.Name
		}
	}
	switch name {
	case "Errorf":
		return 1
	case "FieldErrorf":
		return 2
	}
	if _, ok := wrappers[types(fun)]; ok {
		return 0
	}
	if types(fun) == "i18n.Notice" { // Notice(lang, format, args...)
		return 1
	}
	return -1
}

// stringValue reads a string literal or a concatenation of them.
func stringValue(e ast.Expr) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if v.Op != token.ADD {
			return "", false
		}
		l, ok1 := stringValue(v.X)
		r, ok2 := stringValue(v.Y)
		return l + r, ok1 && ok2
	case *ast.ParenExpr:
		return stringValue(v.X)
	case *ast.Ident:
		// A constant or variable of the same file holding the format.
		if v.Obj != nil {
			if vs, ok := v.Obj.Decl.(*ast.ValueSpec); ok {
				for i, n := range vs.Names {
					if n.Name == v.Name && i < len(vs.Values) {
						return stringValue(vs.Values[i])
					}
				}
			}
		}
	}
	return "", false
}

// types renders an expression as source text (a.B.C, f(x), "lit").
func types(e ast.Expr) string {
	switch v := e.(type) {
	case *ast.Ident:
		return v.Name
	case *ast.SelectorExpr:
		return types(v.X) + "." + v.Sel.Name
	case *ast.CallExpr:
		args := make([]string, len(v.Args))
		for i, a := range v.Args {
			args[i] = types(a)
		}
		return types(v.Fun) + "(" + strings.Join(args, ", ") + ")"
	case *ast.BasicLit:
		return v.Value
	case *ast.IndexExpr:
		return types(v.X) + "[" + types(v.Index) + "]"
	case *ast.StarExpr:
		return "*" + types(v.X)
	case *ast.UnaryExpr:
		return v.Op.String() + types(v.X)
	case *ast.BinaryExpr:
		return types(v.X) + " " + v.Op.String() + " " + types(v.Y)
	case *ast.ParenExpr:
		return "(" + types(v.X) + ")"
	}
	return "?"
}

// placeholderName names an argument after its expression, as gotext does:
// target.ID → ID, len(note) → LenNote, *app.ReplacesAccountID →
// ReplacesAccountID; anything else is Arg<n>.
func placeholderName(e ast.Expr, n int) string {
	switch v := e.(type) {
	case *ast.Ident:
		return upperFirst(v.Name)
	case *ast.SelectorExpr:
		return upperFirst(v.Sel.Name)
	case *ast.StarExpr:
		return placeholderName(v.X, n)
	case *ast.ParenExpr:
		return placeholderName(v.X, n)
	case *ast.IndexExpr:
		return placeholderName(v.X, n)
	case *ast.CallExpr:
		if f, ok := v.Fun.(*ast.SelectorExpr); ok && strings.HasSuffix(f.Sel.Name, "Errorf") {
			return "Detail"
		}
		if len(v.Args) > 0 {
			name := placeholderName(v.Args[0], n)
			if f, ok := v.Fun.(*ast.Ident); ok && f.Name == "len" {
				return "Len" + name
			}
			return name
		}
		return placeholderName(v.Fun, n)
	}
	return "Arg" + strconv.Itoa(n)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
