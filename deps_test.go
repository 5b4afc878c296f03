package mashang_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/mashang/mashang"

// The layers of the written dependency direction (mashang.go, README):
//
//	cmd → app → httpserver → graph → domain packages → ent → mashang
//
// A package may import its own layer and the layers below it, never one
// above. Test files are not checked: external tests may drive the whole
// stack (internal/apitest).
const (
	layerRoot        = iota // the shared vocabulary: package mashang
	layerVocabulary         // fixed vocabularies the ent schema uses
	layerEnt                // ent, ent/schema and the code generated from it
	layerDomain             // everything not named below
	layerGraph              // graph, graph/generated, graph/model
	layerHTTP               // httpserver
	layerApp                // app
	layerCmd                // cmd/...
	layerTestSupport        // internal/... and bench: test helpers, imported by no package
)

var layerNames = [...]string{"mashang", "vocabulary", "ent", "domain", "graph", "httpserver", "app", "cmd", "test support"}

// vocabulary lists the packages below ent: ent/schema declares fields with
// their types and validators. Keep it short: anything with behaviour of
// its own is a domain package, which ent/schema must not import.
var vocabulary = []string{"scenario", "validate"}

// layerOf places a package of the module (path relative to the module,
// "" for the root).
func layerOf(rel string) int {
	under := func(dir string) bool { return rel == dir || strings.HasPrefix(rel, dir+"/") }
	switch {
	case rel == "":
		return layerRoot
	case slices.Contains(vocabulary, rel):
		return layerVocabulary
	case under("ent"):
		return layerEnt
	case under("graph"):
		return layerGraph
	case rel == "httpserver":
		return layerHTTP
	case rel == "app":
		return layerApp
	case under("cmd"):
		return layerCmd
	case under("internal"), under("bench"):
		return layerTestSupport
	}
	return layerDomain
}

type listedPackage struct {
	ImportPath string
	Imports    []string
}

// dependencyViolations returns one line per import that points up the
// dependency direction.
func dependencyViolations(pkgs []listedPackage) []string {
	var out []string
	for _, p := range pkgs {
		from, ok := relative(p.ImportPath)
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			to, ok := relative(imp)
			if !ok {
				continue
			}
			if lf, lt := layerOf(from), layerOf(to); lt > lf {
				out = append(out, fmt.Sprintf("%s (%s) imports %s (%s)", p.ImportPath, layerNames[lf], imp, layerNames[lt]))
			}
		}
	}
	return out
}

func relative(importPath string) (string, bool) {
	if importPath == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(importPath, module+"/")
	return rel, ok
}

func TestDependencyDirection(t *testing.T) {
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Error", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			listedPackage
			Error *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Error != nil {
			t.Fatalf("go list %s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p.listedPackage)
	}
	if len(pkgs) < 20 || !slices.ContainsFunc(pkgs, func(p listedPackage) bool { return p.ImportPath == module+"/ent/schema" }) {
		t.Fatalf("go list found %d packages, without ent/schema: is the test run from the module root?", len(pkgs))
	}
	for _, v := range dependencyViolations(pkgs) {
		t.Error(v)
	}
}

// The rule itself, on made-up import lists: each forbidden edge is caught,
// each allowed one passes.
func TestDependencyViolations(t *testing.T) {
	m := func(rel string) string {
		if rel == "" {
			return module
		}
		return module + "/" + rel
	}
	for _, tc := range []struct {
		name     string
		from, to string
		bad      bool
	}{
		{"DomainImportsGraph", "persons", "graph", true},
		{"DomainImportsGraphModel", "alerts", "graph/model", true},
		{"DomainImportsHTTPServer", "scans", "httpserver", true},
		{"DomainImportsApp", "regionimport", "app", true},
		{"DomainImportsCmd", "demo", "cmd/mashang", true},
		{"DomainImportsTestSupport", "accounts", "internal/apitest", true},
		{"EntSchemaImportsDomain", "ent/schema", "door", true},
		{"EntImportsDomain", "ent/person", "persons", true},
		{"VocabularyImportsEnt", "scenario", "ent", true},
		{"GraphImportsHTTPServer", "graph", "httpserver", true},
		{"HTTPServerImportsApp", "httpserver", "app", true},
		{"AppImportsCmd", "app", "cmd/mashang", true},
		{"RootImportsDomain", "", "tree", true},
		{"CmdImportsApp", "cmd/mashang", "app", false},
		{"AppImportsHTTPServer", "app", "httpserver", false},
		{"HTTPServerImportsGraph", "httpserver", "graph", false},
		{"GraphImportsDomain", "graph", "persons", false},
		{"GraphImportsGenerated", "graph", "graph/generated", false},
		{"DomainImportsDomain", "scans", "persons", false},
		{"DomainImportsEnt", "persons", "ent/person", false},
		{"EntSchemaImportsVocabulary", "ent/schema", "scenario", false},
		{"DomainImportsRoot", "accounts", "", false},
		{"TestSupportImportsApp", "internal/apitest", "app", false},
		{"OutsideModule", "persons", "github.com/99designs/gqlgen/graphql", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			to := m(tc.to)
			if strings.Contains(tc.to, ".") {
				to = tc.to
			}
			got := dependencyViolations([]listedPackage{{ImportPath: m(tc.from), Imports: []string{"context", to}}})
			if tc.bad && len(got) != 1 {
				t.Errorf("%s → %s allowed; want it refused", tc.from, tc.to)
			}
			if !tc.bad && len(got) != 0 {
				t.Errorf("%s → %s refused: %v", tc.from, tc.to, got)
			}
		})
	}
}
