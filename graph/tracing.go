package graph

import (
	"slices"

	"entgo.io/contrib/entgql"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/trace"
)

// coLocation is the API's view of a trace.CoLocation.
func coLocation(c *trace.CoLocation) *model.CoLocation {
	out := &model.CoLocation{Person: c.Person, Grant: c.Grant, Contacts: make([]*model.Contact, len(c.Contacts)), CSV: c.CSV}
	for i, x := range c.Contacts {
		out.Contacts[i] = &model.Contact{NameMasked: x.NameMasked, IDNumberMasked: x.IDNumberMasked, Person: x.Person,
			SiteName: x.SiteName, At: x.At, PersonAt: x.PersonAt, MinutesApart: x.MinutesApart}
	}
	return out
}

// scanSlice pages a trajectory's scans, which the trace service has
// already read whole (at most trace.MaxRows, oldest first): the cursor is
// the scan's id, looked up in the list.
func scanSlice(rows []*ent.Scan, after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int) (*ent.ScanConnection, error) {
	n, err := pageFirst(first, last)
	if err != nil {
		return nil, err
	}
	at := func(c *entgql.Cursor[int], missing int) int {
		if c == nil {
			return missing
		}
		if i := slices.IndexFunc(rows, func(s *ent.Scan) bool { return s.ID == c.ID }); i >= 0 {
			return i
		}
		return missing
	}
	lo, hi := 0, at(before, len(rows))
	if after != nil {
		lo = min(at(after, len(rows)-1)+1, hi)
	}
	conn := &ent.ScanConnection{TotalCount: len(rows), Edges: []*ent.ScanEdge{}}
	conn.PageInfo.HasPreviousPage, conn.PageInfo.HasNextPage = lo > 0, hi < len(rows)
	if n != nil && hi-lo > *n {
		hi, conn.PageInfo.HasNextPage = lo+*n, true
	}
	if last != nil && hi-lo > *last {
		lo, conn.PageInfo.HasPreviousPage = hi-*last, true
	}
	for _, s := range rows[lo:hi] {
		conn.Edges = append(conn.Edges, &ent.ScanEdge{Node: s, Cursor: entgql.Cursor[int]{ID: s.ID}})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}
