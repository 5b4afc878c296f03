package alerts

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/alertpause"
)

// SetPause pauses (or resumes) pushes for region regionID's subtree, for v.
// Alerts raised while paused are still recorded (with pushed=false);
// resuming does not push them afterwards. A pause is for a region flooded
// by a bad import; pausing again updates the region's one pause.
func (s *Service) SetPause(ctx context.Context, v *mashang.Viewer, regionID int, paused bool, reason string) error {
	c := database.ClientFrom(ctx, s.Client)
	reg, err := c.Region.Get(ctx, regionID) // the division tree is public
	if ent.IsNotFound(err) {
		return mashang.FieldErrorf(mashang.ENOTFOUND, "region", "No region %d.", regionID)
	}
	if err != nil {
		return fmt.Errorf("alerts: read region %d: %w", regionID, err)
	}
	// SECURITY: only the INITIATOR, or an OFFICIAL whose scope covers the
	// region; keeps out scanners and officials of another district.
	if err := s.Authorize(v, authz.ActPause, Target{ScopePath: reg.Path}); err != nil {
		return mashang.Wrap(err, "alerts.SetPause")
	}
	if !paused {
		if _, err := c.AlertPause.Delete().Where(alertpause.RegionID(reg.ID)).Exec(ctx); err != nil {
			return fmt.Errorf("alerts: resume pushes: %w", err)
		}
		return nil
	}
	if !validPath(reg.Path) {
		return mashang.FieldErrorf(mashang.EINVALID, "region", "The region's path %q is not a tree path such as /22/2201/.", reg.Path)
	}
	reason = strings.TrimSpace(reason)
	// Issue 10 #14: limits count characters, as the column does.
	if n := utf8.RuneCountInString(reason); n > maxReason {
		return mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason has %d characters; shorten it to at most %d.", n, maxReason)
	}
	err = c.AlertPause.Create().
		SetRegionID(reg.ID).SetPath(reg.Path).SetReason(reason).
		SetByAccountID(v.AccountID).SetAt(s.now()).
		OnConflictColumns(alertpause.FieldRegionID).UpdateNewValues().
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("alerts: pause pushes: %w", err)
	}
	return nil
}

// Pauses lists, by path, the pauses v sees: those of its subtree (which it
// may lift, as an official) and those above it (which hold its pushes).
func (s *Service) Pauses(ctx context.Context, v *mashang.Viewer) ([]*ent.AlertPause, error) {
	// SECURITY: anonymous callers see no pause; the rows are read through
	// the request's scope filter (authz, AlertPause), which keeps out the
	// pauses of other subtrees.
	if v == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in to see the paused regions.")
	}
	return database.ClientFrom(ctx, s.Client).AlertPause.Query().
		Order(ent.Asc(alertpause.FieldPath)).All(ctx)
}

// Paused reports whether pushes are paused for scopePath: whether a pause
// of its region or of any region above it is in force. The system asks it,
// for no caller.
func (s *Service) Paused(ctx context.Context, c *ent.Client, scopePath string) (bool, error) {
	if c == nil {
		c = database.ClientFrom(ctx, s.Client)
	}
	ok, err := c.AlertPause.Query().Where(covering(scopePath)).Exist(system(ctx))
	if err != nil {
		return false, fmt.Errorf("alerts: read pauses: %w", err)
	}
	return ok, nil
}

// holdPaused marks pushed=false, in the database and in created, the alerts
// of created whose scope path lies under a paused region's path: the
// pauses are read by the system, to decide pushes.
func holdPaused(ctx context.Context, c *ent.Client, created []*ent.Alert) error {
	ids := make([]int, len(created))
	for i, a := range created {
		ids[i] = a.ID
	}
	held, err := c.Alert.Query().Where(alert.IDIn(ids...), underPause).IDs(system(ctx))
	if err != nil {
		return fmt.Errorf("alerts: read pauses: %w", err)
	}
	if len(held) == 0 {
		return nil
	}
	if err := c.Alert.Update().Where(alert.IDIn(held...)).SetPushed(false).Exec(ctx); err != nil {
		return fmt.Errorf("alerts: hold paused alerts: %w", err)
	}
	isHeld := make(map[int]bool, len(held))
	for _, id := range held {
		isHeld[id] = true
	}
	for _, a := range created {
		if isHeld[a.ID] {
			a.Pushed = false
		}
	}
	return nil
}

// underPause selects the alerts whose scope path lies in the subtree of a
// paused region's path P, as the range scope_path >= P AND scope_path <
// P || '~' (tree.Bounds): a sibling whose code merely starts with the same
// digits ("/22/2201/2201049/" next to "/22/2201/220104/") is not under it.
func underPause(s *sql.Selector) {
	b := sql.Dialect(s.Dialect())
	p := b.Table(alertpause.Table).As("pause")
	scope, path := s.C(alert.FieldScopePath), p.C(alertpause.FieldPath)
	s.Where(sql.Exists(b.Select(path).From(p).Where(sql.And(
		sql.ColumnsGTE(scope, path),
		sql.P(func(b *sql.Builder) { b.Ident(scope).WriteString(" < ").Ident(path).WriteString(" || '~'") }),
	))))
}

// covering selects the pauses whose subtree holds scopePath:
// path <= scopePath AND scopePath < path || '~'.
func covering(scopePath string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		path := s.C(alertpause.FieldPath)
		s.Where(sql.And(
			sql.LTE(path, scopePath),
			sql.P(func(b *sql.Builder) { b.Arg(scopePath).WriteString(" < ").Ident(path).WriteString(" || '~'") }),
		))
	}
}
