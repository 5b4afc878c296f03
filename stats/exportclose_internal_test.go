package stats

import (
	"os"
	"path/filepath"
	"testing"
)

// A stopping server leaves no export file behind (seed 001 §3).
func TestClosingTheExportsRemovesTheirFiles(t *testing.T) {
	file := filepath.Join(t.TempDir(), "export.xlsx")
	if err := os.WriteFile(file, []byte("masked records"), 0o600); err != nil {
		t.Fatal(err)
	}
	x := &Exports{jobs: map[int]*exportJob{1: {ExportJob: ExportJob{ID: 1, Status: ExportDone}, file: file}}}
	x.Close()
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("the export file is still there: %v", err)
	}
	if len(x.jobs) != 0 {
		t.Fatalf("%d jobs left", len(x.jobs))
	}
}
