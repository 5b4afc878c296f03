package graph

import (
	"context"
	"errors"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/tree"
)

func scanItem(in *model.ScanInput) scans.Item {
	it := scans.Item{ClientID: in.ClientID, SiteID: in.Site, Method: door.Method(in.Method),
		Temperature: in.Temperature, DeviceLat: in.Latitude, DeviceLng: in.Longitude, ClientTime: in.ClientTime}
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

func itemError(err error) *model.ItemError {
	if err == nil {
		return nil
	}
	e := &model.ItemError{Code: mashang.ErrorCode(err), Message: mashang.ErrorMessage(err)}
	var me *mashang.Error
	if ok := errors.As(err, &me); ok && me.Field != "" {
		f := me.Field
		e.Field = &f
	}
	return e
}

// subscribeAlerts delivers the alerts under scopePath that v may see.
// SECURITY: every message is checked by alerts.Visible and the alert then
// loaded through the viewer's scope filter, so a subscriber never receives
// an alert it could not list.
func (r *Resolver) subscribeAlerts(ctx context.Context, v *mashang.Viewer, scopePath string) (<-chan *ent.Alert, error) {
	if r.Alerts == nil || r.Alerts.Broker == nil {
		return nil, mashang.Errorf(mashang.EUNAVAILABLE, "Live alerts are not available on this server.")
	}
	ch, cancel := r.Alerts.Broker.Subscribe()
	out := make(chan *ent.Alert, 16)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				if !alerts.Visible(v, scopePath, m) {
					continue
				}
				a, err := r.client.Alert.Get(ctx, m.AlertID)
				if err != nil {
					continue
				}
				select {
				case out <- a:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// underPath is tree.Contains that never holds for an empty scope: a viewer
// without a scope path reaches nothing.
func underPath(scope, path string) bool { return scope != "" && tree.Contains(scope, path) }
