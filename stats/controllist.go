package stats

import (
	"context"
	"database/sql"
	"time"

	"github.com/mashang/mashang/ent"
)

// CONTROL_LIST_CHANGES (seed 000 §五.2: 需要隔离人员和解除隔离人员数据要及时上报,
// 确保“吉祥码”颜色能够根据管控工作需要及时调整到位) counts the persons a
// control-list import changed — a row applied, not a row that found the
// person as the list says already — on the local day of the change, at
// the nodes of where the person lived then (the node "" when unknown),
// with detail = the risk the list set (CLOSE_CONTACT, QUARANTINED,
// SUSPECTED, CONFIRMED, or NONE for a release). Each change is a row of
// control_list_changes, written with it and never changed.

// AddControlListChange adds to d one person a control list changed.
func AddControlListChange(d *Delta, residencePath, risk string, at time.Time) {
	d.AddAt(placeNodes(residencePath), Key{Day: Day(at), Metric: ControlListChanges, Detail: risk}, 1)
}

func init() {
	Register(Recount{Name: "control-list changes", Metrics: []Metric{ControlListChanges}, Count: recountControlListChanges})
}

// recountControlListChanges streams the control_list_changes rows.
func recountControlListChanges(ctx context.Context, c *ent.Client, from string, d *Delta) error {
	return eachRow(ctx, c, "stats.recountControlListChanges", `SELECT residence_path, risk, at FROM control_list_changes`,
		func(r *sql.Rows) error {
			var (
				path, risk string
				at         time.Time
			)
			if err := r.Scan(&path, &risk, &at); err != nil {
				return err
			}
			if sinceDay(Day(at), from) {
				AddControlListChange(d, path, risk, at)
			}
			return nil
		})
}
