package stats

import (
	"context"
	"database/sql"
	"time"

	"github.com/mashang/mashang/ent"
)

// ALERTS_RAISED, ALERTS_ASSIGNED, ALERTS_VISITED, ALERTS_CLOSED and
// VISIT_SECONDS (seed 001 §15: 实时跟踪平台推送的扫码异常健康信息, 并依照防疫
// 相关规定进行合理处置; seed 003 §五(五): 基层网格员要及时上门核实) count the
// alerts at every node of the alert's scope_path (a site's path for a scan's
// alert, the residence for a colour change's; the node "" when it is the
// root), with the dimensions sector, colour and detail = kind (SCAN or
// COLOUR_CHANGE):
//   - ALERTS_RAISED on the local day of raised_at;
//   - ALERTS_ASSIGNED on the day of its first assignment (the step OPEN →
//     ASSIGNED; giving it to another grid worker later is not a second
//     assigned alert);
//   - ALERTS_VISITED and VISIT_SECONDS (the whole seconds from raised_at to
//     the visit, summed) on the day of the visit (→ VISITED);
//   - ALERTS_CLOSED on the day it was closed (→ CLOSED).
//
// An alert's scope, kind, sector, colour and raised_at never change, and
// its steps are rows of alert_steps that are never changed either: the
// recount reads exactly what the live path counted.

// alertFacts are what the alert counters read of an alert.
type alertFacts struct {
	scope, kind, sector, colour string
	raised                      time.Time
}

func factsOfAlert(a *ent.Alert) alertFacts {
	return alertFacts{scope: a.ScopePath, kind: a.Kind.String(), sector: orEmpty(a.Sector), colour: orEmpty(a.Colour), raised: a.RaisedAt}
}

func (f alertFacts) add(d *Delta, m Metric, at time.Time, n int64) {
	d.AddAt(placeNodes(f.scope), Key{Day: Day(at), Metric: m, Sector: f.sector, Colour: f.colour, Detail: f.kind}, n)
}

// AddAlertsRaised adds to d the alerts just inserted (as RaiseMany returns
// them): ALERTS_RAISED. Whoever raises alerts calls it with the delta it
// applies in the same transaction — the scans service with its batch's.
func AddAlertsRaised(d *Delta, alerts []*ent.Alert) {
	for _, a := range alerts {
		f := factsOfAlert(a)
		f.add(d, AlertsRaised, f.raised, 1)
	}
}

// AddAlertStep adds to d one step of an alert's handling, from status
// `from` to status `to` at `at` (the AlertStep row written with it).
func AddAlertStep(d *Delta, a *ent.Alert, from, to string, at time.Time) {
	addAlertStep(d, factsOfAlert(a), from, to, at, "")
}

func addAlertStep(d *Delta, f alertFacts, from, to string, at time.Time, since string) {
	if !sinceDay(Day(at), since) {
		return
	}
	switch to {
	case "ASSIGNED":
		if from == "OPEN" {
			f.add(d, AlertsAssigned, at, 1)
		}
	case "VISITED":
		f.add(d, AlertsVisited, at, 1)
		f.add(d, VisitSeconds, at, visitSeconds(f.raised, at))
	case "CLOSED":
		f.add(d, AlertsClosed, at, 1)
	}
}

// visitSeconds is the whole seconds from raising to the visit (0 for a
// clock that went backwards).
func visitSeconds(raised, visited time.Time) int64 {
	if s := int64(visited.Sub(raised) / time.Second); s > 0 {
		return s
	}
	return 0
}

func init() {
	Register(Recount{Name: "alerts", Metrics: []Metric{AlertsRaised, AlertsAssigned, AlertsVisited, AlertsClosed, VisitSeconds},
		Count: recountAlerts})
}

// recountAlerts streams the alerts, then their steps with their alert.
func recountAlerts(ctx context.Context, c *ent.Client, from string, d *Delta) error {
	const op = "stats.recountAlerts"
	err := eachRow(ctx, c, op, `SELECT scope_path, kind, COALESCE(sector, ''), COALESCE(colour, ''), raised_at FROM alerts`,
		func(r *sql.Rows) error {
			var f alertFacts
			if err := r.Scan(&f.scope, &f.kind, &f.sector, &f.colour, &f.raised); err != nil {
				return err
			}
			if sinceDay(Day(f.raised), from) {
				f.add(d, AlertsRaised, f.raised, 1)
			}
			return nil
		})
	if err != nil {
		return err
	}
	return eachRow(ctx, c, op, `SELECT a.scope_path, a.kind, COALESCE(a.sector, ''), COALESCE(a.colour, ''), a.raised_at,
 s.from_status, s.to_status, s.at FROM alert_steps s JOIN alerts a ON a.id = s.alert_id`,
		func(r *sql.Rows) error {
			var (
				f          alertFacts
				fromS, toS string
				at         time.Time
			)
			if err := r.Scan(&f.scope, &f.kind, &f.sector, &f.colour, &f.raised, &fromS, &toS, &at); err != nil {
				return err
			}
			addAlertStep(d, f, fromS, toS, at, from)
			return nil
		})
}

// ApplyAlertsRaised counts alerts just raised, through c (the client of the
// transaction that raised them): the scans service's batches and self-scans,
// whose scans were counted when they were stored. One statement.
func (r *Rollups) ApplyAlertsRaised(ctx context.Context, c *ent.Client, alerts []*ent.Alert) error {
	if r == nil || r.Off || len(alerts) == 0 {
		return nil
	}
	var d Delta
	AddAlertsRaised(&d, alerts)
	return r.Apply(ctx, c, &d)
}
