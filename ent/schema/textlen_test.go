package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 10 #14: text limits count characters. ent's MaxLen counts UTF-8
// bytes (a 40-character Chinese name is 120 bytes), so every text field
// uses MaxRuneLen, which counts characters like PostgreSQL's varchar(n)
// and like the limits the API documents.
func TestTextLimitsCountCharacters(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), ".MaxLen(") {
			t.Errorf("%s uses MaxLen, which counts bytes: use MaxRuneLen", f)
		}
	}
}
