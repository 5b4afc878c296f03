package graph

import (
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// Page sizes of connections. A connection asked without first/last returns
// DefaultPageSize rows; more than MaxPageSize is refused.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

func checkPage(first, last *int) error {
	for name, v := range map[string]*int{"first": first, "last": last} {
		if v == nil {
			continue
		}
		if *v < 0 {
			return mashang.FieldErrorf(mashang.EINVALID, name, "%s must not be negative.", name)
		}
		if *v > MaxPageSize {
			return mashang.FieldErrorf(mashang.EINVALID, name, "Ask for at most %d rows a page (%s: %d); follow pageInfo.endCursor for more.", MaxPageSize, name, *v)
		}
	}
	return nil
}

// defaultFirst returns first, or DefaultPageSize when neither first nor last is given.
func defaultFirst(first, last *int) *int {
	if first == nil && last == nil {
		n := DefaultPageSize
		return &n
	}
	return first
}

// checkRegionCode accepts the code lengths of the five division levels.
func checkRegionCode(code string) error {
	switch len(code) {
	case 2, 4, 6, 9, 12:
	default:
		return mashang.FieldErrorf(mashang.EINVALID, "code", "A division code has 2, 4, 6, 9 or 12 digits; %q has %d characters.", code, len(code))
	}
	if strings.Trim(code, "0123456789") != "" {
		return mashang.FieldErrorf(mashang.EINVALID, "code", "A division code has digits only; got %q.", code)
	}
	return nil
}

func nodeError(err error, id int) error {
	if err == nil {
		return nil
	}
	if ent.IsNotFound(err) || strings.Contains(err.Error(), "resolving table") {
		return mashang.FieldErrorf(mashang.ENOTFOUND, "id", "No node has the ID %d.", id)
	}
	return err
}
