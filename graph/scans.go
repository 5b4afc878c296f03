package graph

import (
	"context"
	"errors"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/i18n"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/stats"
)

func scanItem(in *model.ScanInput) scans.Item {
	it := scans.Item{ClientID: in.ClientID, SiteID: in.Site, Method: door.Method(in.Method),
		Temperature: in.Temperature, DeviceLat: in.Latitude, DeviceLng: in.Longitude, DeviceAccuracy: in.Accuracy, ClientTime: in.ClientTime}
	if in.Token != nil {
		it.Token = *in.Token
	}
	if in.SiteCode != nil {
		it.SiteCode = *in.SiteCode
	}
	if in.Person != nil {
		it.PersonID = *in.Person
	}
	if in.Colour != nil {
		it.Colour = in.Colour.String()
	}
	if m := in.Manual; m != nil {
		mp := &scans.ManualPerson{Name: m.Name, IDNumber: m.IDNumber}
		if m.IDType != nil {
			mp.IDType = m.IDType.String()
		}
		if m.Phone != nil {
			mp.Phone = *m.Phone
		}
		it.Manual = mp
	}
	return it
}

// selfScanInput is a self-scan as package scans takes it.
func selfScanInput(in *model.SelfScanInput) scans.SelfScanInput {
	out := scans.SelfScanInput{ClientID: in.ClientID, SiteCode: in.SiteCode, PersonToken: in.PersonToken,
		Temperature: in.Temperature, ClientTime: in.ClientTime}
	if l := in.Location; l != nil {
		out.Lat, out.Lng = &l.Latitude, &l.Longitude
		if l.Accuracy != nil {
			out.Accuracy = *l.Accuracy
		}
	}
	return out
}

// itemError is one refused item of a batch, its message in the request's language.
func itemError(ctx context.Context, err error) *model.ItemError {
	if err == nil {
		return nil
	}
	l := i18n.Localize(i18n.FromContext(ctx), err)
	params := l.Params
	if params == nil {
		params = map[string]any{}
	}
	e := &model.ItemError{Code: mashang.ErrorCode(err), Message: l.Message, MessageKey: l.Key, Params: params}
	var me *mashang.Error
	if ok := errors.As(err, &me); ok && me.Field != "" {
		f := me.Field
		e.Field = &f
	}
	return e
}

// newestScansFirst is the order of Account.scans and Person.scans when the
// client gives none.
var newestScansFirst = []*ent.ScanOrder{{Direction: entgql.OrderDirectionDesc, Field: ent.ScanOrderFieldServerTime}}

// scanPage pages the scans q selects (one account's, one person's), newest
// first unless ordered otherwise, without a COUNT unless totalCount is
// asked for (withoutPageCount).
func scanPage(ctx context.Context, q *ent.ScanQuery, after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int, orderBy []*ent.ScanOrder, where *ent.ScanWhereInput) (*ent.ScanConnection, error) {
	n, err := pageFirst(first, last)
	if err != nil {
		return nil, err
	}
	if len(orderBy) == 0 {
		orderBy = newestScansFirst
	}
	return q.Paginate(withoutPageCount(ctx), after, n, before, last, ent.WithScanOrder(orderBy), ent.WithScanFilter(where.Filter))
}

// scansExportFilter is a scans export's filter: the where-input as
// Query.scans applies it (its `within` already resolved to a predicate by
// the input's resolver), and the path of the top-level `within` it names,
// which stats.Exports.StartScans checks against the caller's scope.
func (r *Resolver) scansExportFilter(ctx context.Context, where *ent.ScanWhereInput) (stats.ScansFilter, error) {
	var f stats.ScansFilter
	if where == nil {
		return f, nil
	}
	f.Apply = where.Filter
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return f, nil
	}
	raw, _ := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)["where"].(map[string]any)
	if w, ok := raw["within"]; ok && w != nil {
		id, err := graphql.UnmarshalIntID(w)
		if err != nil {
			return f, mashang.FieldErrorf(mashang.EINVALID, "where.within", "within takes the ID of %s.", "a region or a site")
		}
		if f.WithinPath, err = r.pathOf(ctx, id, true); err != nil {
			return f, err
		}
	}
	return f, nil
}
