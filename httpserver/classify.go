package httpserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// scanFields are the root mutations of the door: an operation of these
// alone is a scan.
var scanFields = map[string]bool{"recordScan": true, "recordScans": true, "selfScan": true}

// analyticsField tells the statistics fields (issue 12): any field named
// stats…, statsExport and supervision. One in an operation makes the whole
// operation analytics.
func analyticsField(name string) bool {
	return strings.HasPrefix(name, "stats") || name == "supervision"
}

// classifier gives a request its class from its operation's root fields.
// The document is parsed (without the schema: only names are needed) once
// and its operations' classes cached by the document's SHA-256, which is
// also the hash of an automatic persisted query: a request that names only
// the hash finds the class of the document it was registered with.
type classifier struct {
	docs *lru.Cache[string, docClasses]
}

// docClasses is the class of each operation of a document by its name ("":
// the document's only operation).
type docClasses map[string]Class

const classifierCacheSize = 2000

func newClassifier() *classifier {
	docs, _ := lru.New[string, docClasses](classifierCacheSize)
	return &classifier{docs: docs}
}

// graphQLRequest is what classification reads of a request: the document
// (or its hash, or a stored document's id) and which operation to run.
type graphQLRequest struct {
	Query         string `json:"query"`
	OperationName string `json:"operationName"`
	Extensions    struct {
		PersistedQuery *struct {
			Sha256Hash string `json:"sha256Hash"`
		} `json:"persistedQuery"`
	} `json:"extensions"`
	// A trusted document called by id (issue 12: ministries' registered
	// statistics queries), whatever the member is called.
	DocumentID json.RawMessage `json:"documentId"`
	ID         json.RawMessage `json:"id"`
	QueryID    json.RawMessage `json:"queryId"`
}

// classify reads the request's operation. The body stays readable: it is
// in memory already (withBodyCap) and is put back. What cannot be read is
// a read: the handler answers it with its own error, cheaply.
func (cl *classifier) classify(r *http.Request) Class {
	var req graphQLRequest
	switch {
	case r.Method == http.MethodGet:
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		if ext := q.Get("extensions"); ext != "" {
			_ = json.Unmarshal([]byte(ext), &req.Extensions)
		}
	case mediaType(r) == "application/json" && req.fromMembers(bodyMembers(r)):
		// decoded from the members checkJSONBody read
	case mediaType(r) == "application/json":
		body, err := readBody(r)
		if err != nil || json.Unmarshal(body, &req) != nil {
			return ClassRead
		}
	default: // a multipart upload (a control list) or a body gqlgen refuses
		return ClassRead
	}
	return cl.classOf(&req)
}

// requestMembers are the members of graphQLRequest, as encoding/json
// matches them (case-insensitively).
var requestMembers = []string{"query", "operationName", "extensions", "documentId", "id", "queryId"}

// fromMembers decodes req from a body's top-level members (checkJSONBody's;
// nil when it did not run) as json.Unmarshal of the whole body would,
// reading only the members it needs. False, with req unchanged, when it
// cannot: no members, a decoding error, or two members matching one field
// but for case (encoding/json takes the later, and a map has lost the
// order); the caller then decodes the body.
func (req *graphQLRequest) fromMembers(obj map[string]json.RawMessage) bool {
	if obj == nil {
		return false
	}
	picked := make(map[string]json.RawMessage, len(requestMembers))
	for key, v := range obj {
		for _, name := range requestMembers {
			if strings.EqualFold(key, name) {
				if _, dup := picked[name]; dup {
					return false
				}
				picked[name] = v
			}
		}
	}
	b, err := json.Marshal(picked)
	if err != nil {
		return false
	}
	var got graphQLRequest
	if json.Unmarshal(b, &got) != nil {
		return false
	}
	*req = got
	return true
}

func (cl *classifier) classOf(req *graphQLRequest) Class {
	var hash string
	switch {
	case req.Query != "":
		sum := sha256.Sum256([]byte(req.Query))
		hash = hex.EncodeToString(sum[:])
	case req.Extensions.PersistedQuery != nil:
		hash = req.Extensions.PersistedQuery.Sha256Hash
	case stored(req.DocumentID) || stored(req.ID) || stored(req.QueryID):
		return ClassAnalytics
	default:
		return ClassRead
	}
	classes, ok := cl.docs.Get(hash)
	if !ok {
		if req.Query == "" { // a hash the server does not know: gqlgen asks for the text
			return ClassRead
		}
		classes = classesOf(req.Query)
		cl.docs.Add(hash, classes)
	}
	if c, ok := classes[req.OperationName]; ok {
		return c
	}
	return ClassRead
}

func stored(id json.RawMessage) bool {
	return len(id) > 0 && string(id) != "null"
}

// classesOf parses a document and classes each operation.
func classesOf(query string) docClasses {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return docClasses{}
	}
	classes := make(docClasses, len(doc.Operations)+1)
	for _, op := range doc.Operations {
		classes[op.Name] = operationClass(op, doc.Fragments)
	}
	if len(doc.Operations) == 1 {
		classes[""] = classes[doc.Operations[0].Name]
	}
	return classes
}

// operationClass: analytics when any root field is a statistics field, a
// scan when every root field is a scan mutation, a read otherwise.
func operationClass(op *ast.OperationDefinition, frags ast.FragmentDefinitionList) Class {
	var names []string
	rootFieldNames(op.SelectionSet, frags, 0, &names)
	scans := 0
	for _, n := range names {
		switch {
		case analyticsField(n):
			return ClassAnalytics
		case op.Operation == ast.Mutation && scanFields[n]:
			scans++
		}
	}
	if scans > 0 && scans == len(names) {
		return ClassScan
	}
	return ClassRead
}

// rootFieldNames collects the names (never aliases) of a root selection
// set's fields, through fragments up to a few levels deep (validation
// refuses cycles later); introspection fields are left out.
func rootFieldNames(set ast.SelectionSet, frags ast.FragmentDefinitionList, depth int, names *[]string) {
	if depth > 8 {
		return
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !strings.HasPrefix(s.Name, "__") {
				*names = append(*names, s.Name)
			}
		case *ast.InlineFragment:
			rootFieldNames(s.SelectionSet, frags, depth+1, names)
		case *ast.FragmentSpread:
			if def := frags.ForName(s.Name); def != nil {
				rootFieldNames(def.SelectionSet, frags, depth+1, names)
			}
		}
	}
}
