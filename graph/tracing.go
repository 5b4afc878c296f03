package graph

import (
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/trace"
)

// coLocation is the API's view of a trace.CoLocation.
func coLocation(c *trace.CoLocation) *model.CoLocation {
	out := &model.CoLocation{Person: c.Person, Contacts: make([]*model.Contact, len(c.Contacts)), CSV: c.CSV}
	for i, x := range c.Contacts {
		out.Contacts[i] = &model.Contact{NameMasked: x.NameMasked, IDNumberMasked: x.IDNumberMasked, Person: x.Person,
			SiteName: x.SiteName, At: x.At, PersonAt: x.PersonAt, MinutesApart: x.MinutesApart}
	}
	return out
}
