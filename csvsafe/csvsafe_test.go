package csvsafe_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/mashang/mashang/csvsafe"
)

// TestAnAttackersCellNeverStartsAFormula: every cell an attacker can make
// start a formula in Excel or WPS (OWASP CSV injection: =, +, -, @, tab,
// carriage return, and the full-width forms) comes out behind a single
// quote; text and plain numbers come out as they were.
func TestAnAttackersCellNeverStartsAFormula(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example","点击")`: `'=HYPERLINK("http://evil.example","点击")`,
		"+1+1":                   "'+1+1",
		"-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
		"@SUM(A1:A9)":            "'@SUM(A1:A9)",
		"\t=1+1":                 "'\t=1+1",
		"\r=1+1":                 "'\r=1+1",
		"＝1+1":                   "'＝1+1",
		"－1":                     "'－1",
		"":                       "",
		"朝阳区医院":                  "朝阳区医院",
		"a=1":                    "a=1",
		"37.5":                   "37.5",
		"-3":                     "-3",
		"+86":                    "+86",
		"2026-11-20T09:00:00Z":   "2026-11-20T09:00:00Z",
	} {
		if got := csvsafe.Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
	text := csvsafe.String([][]string{{"site", "temperature"}, {"=1+1", "-0.5"}, {"@x", "36.6"}})
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][0] != "'=1+1" || recs[1][1] != "-0.5" || recs[2][0] != "'@x" {
		t.Fatalf("CSV %q: %v %v", text, recs, err)
	}
}
