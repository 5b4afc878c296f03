// Package tree builds and reads the materialised paths of the jurisdiction
// tree (DESIGN.md §4): the chain of node keys from the root, slash-delimited
// with a trailing slash. Regions are keyed by their division code
// ("/22/2201/220104/"), sites by "s" and their id ("…/s8812/").
//
// "N is in the subtree of P" ⇔ N.path starts with P.path, queried as the
// range path >= P AND path < P + "~" so one B-tree index serves SQLite and
// PostgreSQL alike ('~' sorts after every character a key may hold).
package tree

import (
	"strconv"
	"strings"

	"entgo.io/ent/dialect/sql"
)

// Root is the path of the (virtual) root above the provinces.
const Root = "/"

// RegionPath returns the path of a region from its code and its parent's
// path ("" or Root for a province).
func RegionPath(parentPath, code string) string {
	if parentPath == "" {
		parentPath = Root
	}
	return parentPath + code + "/"
}

// SiteKey is the path key of a site.
func SiteKey(id int) string { return "s" + strconv.Itoa(id) }

// SitePath returns the path of a site below the node with parentPath.
func SitePath(parentPath string, id int) string { return parentPath + SiteKey(id) + "/" }

// Bounds returns the half-open range [lo, hi) of paths in the subtree of p
// (p itself included).
func Bounds(p string) (lo, hi string) { return p, p + "~" }

// Within is an ent/sql predicate selecting the rows whose column lies in the
// subtree of p.
func Within(column, p string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		lo, hi := Bounds(p)
		s.Where(sql.And(sql.GTE(s.C(column), lo), sql.LT(s.C(column), hi)))
	}
}

// Contains reports whether path n is in the subtree of p (n == p included).
func Contains(p, n string) bool { return strings.HasPrefix(n, p) }

// Keys splits a path into its keys, root first.
func Keys(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// AncestorRegionCodes returns the division codes of the regions above the
// node with path p, root first (the node's own key excluded; site keys are
// skipped).
func AncestorRegionCodes(p string) []string {
	keys := Keys(p)
	if len(keys) == 0 {
		return nil
	}
	var out []string
	for _, k := range keys[:len(keys)-1] {
		if !strings.HasPrefix(k, "s") {
			out = append(out, k)
		}
	}
	return out
}

// RegionCodes returns every region key of the path, the node's own included
// when it is a region, root first.
func RegionCodes(p string) []string {
	var out []string
	for _, k := range Keys(p) {
		if !strings.HasPrefix(k, "s") {
			out = append(out, k)
		}
	}
	return out
}

// Rebase rewrites a path of the subtree of oldPrefix to lie under newPrefix
// (moving a node).
func Rebase(p, oldPrefix, newPrefix string) string {
	return newPrefix + strings.TrimPrefix(p, oldPrefix)
}
