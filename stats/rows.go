package stats

import (
	"context"
	"database/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// eachRow streams the rows of q (a SELECT without parameters, so it reads
// the same on both dialects) and calls scan for each, with the row to scan.
// The recounts of this package read the raw rows through it: whole tables
// of alerts, colour changes, accounts or sites, never loaded at once.
func eachRow(ctx context.Context, c *ent.Client, op, q string, scan func(*sql.Rows) error) error {
	rows, err := c.QueryContext(ctx, q)
	if err != nil {
		return mashang.Wrap(err, op)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return mashang.Wrap(err, op)
		}
	}
	return mashang.Wrap(rows.Err(), op)
}

// placeNodes are the nodes an event at path is counted at: every node of
// the path, or the node "" (level NONE) when the path is unknown ("" or
// the root "/"), so that the NONE node and the provinces sum to every event.
func placeNodes(path string) []Node {
	if ns := Nodes(path); len(ns) > 0 {
		return ns
	}
	return []Node{{Path: "", Level: None}}
}

// sinceDay tells whether a day is counted by a recount from `from` ("":
// every day).
func sinceDay(day, from string) bool { return from == "" || day >= from }

// orEmpty is *s, or "" for nil.
func orEmpty[T ~string](s *T) string {
	if s == nil {
		return ""
	}
	return string(*s)
}
