// Package csvsafe writes spreadsheet exports (CSV, or cells for an XLSX
// writer) whose cells a spreadsheet never runs as formulas: the one place
// every export of the platform goes through (issue 10 #6; the trajectory
// and co-location CSVs of package trace).
//
// Following the OWASP guidance on CSV injection
// (https://owasp.org/www-community/attacks/CSV_Injection), a cell that
// starts with =, +, -, @, a tab or a carriage return — or their full-width
// forms, which WPS and Excel with a Chinese IME may also take as a formula
// — is prefixed with a single quote, so Excel and WPS show it as text. A
// plain number (37.5, -3) is left alone: it cannot be a formula, and a
// quote would turn it into text.
//
// Written by hand: the rule is a few lines, and no maintained Go library
// covers it.
package csvsafe

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// triggers are the first characters that make a spreadsheet read a cell as
// a formula (OWASP), with the full-width forms of the printable ones.
const triggers = "=+-@\t\r＝＋－＠"

var plainNumber = regexp.MustCompile(`^[-+]?[0-9]+(\.[0-9]+)?$`)

// Cell returns v as a cell no spreadsheet evaluates: v itself, or v after a
// single quote when it starts with a formula trigger and is not a plain
// number.
func Cell(v string) string {
	r, _ := utf8.DecodeRuneInString(v)
	if v == "" || !strings.ContainsRune(triggers, r) || plainNumber.MatchString(v) {
		return v
	}
	return "'" + v
}

// Write writes records as CSV to w, every cell through Cell.
func Write(w io.Writer, records [][]string) error {
	cw := csv.NewWriter(w)
	for _, rec := range records {
		safe := make([]string, len(rec))
		for i, v := range rec {
			safe[i] = Cell(v)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// String renders records as CSV text, every cell through Cell.
func String(records [][]string) string {
	var b strings.Builder
	_ = Write(&b, records) // a strings.Builder does not fail
	return b.String()
}
