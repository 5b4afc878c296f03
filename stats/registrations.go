package stats

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// REGISTRATIONS (seed 000 §五.1: 每日做好注册人数统计上报; seed 003 annex 1:
// the registration targets) counts the persons registered, by the local day
// of their registration (Person.created_at), at every region node of their
// residence as it is now: a person who moves is counted, for the day they
// registered, where they live now (the move is -1 at the old nodes and +1
// at the new ones). A person with no residence is counted at the node ""
// (level NONE), so the sum over the NONE node and the provinces is every
// registration.
//
// Nothing deletes persons today; the purge of DESIGN.md §8 is to anonymise
// them and keep their row, so the counts stay. A deletion would have to
// subtract RegistrationDelta(created, residence, -1) in its transaction.

// registrationNodes are the nodes a residence counts at.
func registrationNodes(residencePath string) []Node {
	if residencePath == "" {
		return []Node{{Path: "", Level: None}}
	}
	return RegionNodes(residencePath)
}

// addRegistration adds n registrations on the day of created at the nodes
// of residencePath, the same way live and in a recount.
func addRegistration(d *Delta, created time.Time, residencePath string, n int64) {
	d.AddAt(registrationNodes(residencePath), Key{Day: Day(created), Metric: Registrations}, n)
}

// RegistrationDelta is what registering a person adds (n = 1) or removing
// one takes away (n = -1).
func RegistrationDelta(created time.Time, residencePath string, n int64) *Delta {
	var d Delta
	addRegistration(&d, created, residencePath, n)
	return &d
}

// ResidenceDelta moves a registration from the old residence to the new.
func ResidenceDelta(created time.Time, oldPath, newPath string) *Delta {
	var d Delta
	if oldPath == newPath {
		return &d
	}
	addRegistration(&d, created, oldPath, -1)
	addRegistration(&d, created, newPath, 1)
	return &d
}

func init() {
	Register(Recount{Name: "registrations", Metrics: []Metric{Registrations}, Count: recountRegistrations})
}

// recountRegistrations streams the persons registered from the local day
// `from` on.
func recountRegistrations(ctx context.Context, c *ent.Client, from string, d *Delta) error {
	start, err := dayStart(from)
	if err != nil {
		return mashang.Wrap(err, "stats.recountRegistrations")
	}
	pg, err := isPostgres(ctx, c)
	if err != nil {
		return mashang.Wrap(err, "stats.recountRegistrations")
	}
	q := `SELECT created_at, residence_path FROM persons`
	var args []any
	if pg {
		q += ` WHERE created_at >= $1`
		args = append(args, start)
	}
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return mashang.Wrap(err, "stats.recountRegistrations")
	}
	defer rows.Close()
	for rows.Next() {
		var created time.Time
		var path string
		if err := rows.Scan(&created, &path); err != nil {
			return mashang.Wrap(err, "stats.recountRegistrations")
		}
		if Day(created) >= from {
			addRegistration(d, created, path, 1)
		}
	}
	return mashang.Wrap(rows.Err(), "stats.recountRegistrations")
}
