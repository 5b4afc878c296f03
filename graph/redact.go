package graph

import (
	"regexp"
	"strings"
)

// Redaction of the error texts the server logs (issue 10 #1: no request
// body, variable or personal data ever reaches the log, whatever the error).
var (
	// quoted matches a double-quoted value in an error text: Go's strconv
	// and json errors, PostgreSQL's "invalid input syntax for type …: "…""
	// and the like quote the offending input.
	quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	// longDigits matches what could be a phone or an ID number.
	longDigits = regexp.MustCompile(`\d{7,}[0-9Xx]?`)
)

// redactForLog returns an error text fit for the log: gqlgen's " body:…"
// suffix (its POST transport appends the whole request body to a decoding
// error) is cut, quoted values become "…", and runs of seven or more digits
// become "#". What is left names the failure (package, function, SQL state)
// without the input that caused it.
func redactForLog(msg string) string {
	if i := strings.Index(msg, " body:"); i >= 0 {
		msg = msg[:i] + " body:(redacted)"
	}
	msg = quoted.ReplaceAllString(msg, `"…"`)
	return longDigits.ReplaceAllString(msg, "#")
}
