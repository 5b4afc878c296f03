// Package alerts raises, pushes and handles abnormal reminders (异常提醒).
//
// seed 004 annex note 3: “管理侧异常提醒模块, 可查看被扫码人员健康状况异常
// (健康码为橙码或体温异常时), 后台会进行标红单独展示” — an alert is raised
// for every denied scan (fever, a code that is not green) and for every
// person whose code turns ORANGE or RED, and is pushed at once to whoever
// watches the place it belongs to. seed 001 §15: 各地区、各有关部门负责及时获取、
// 并实时跟踪平台推送的扫码异常健康信息, 并依照防疫相关规定进行合理处置 — so
// an alert is then handled: assigned to the community's grid worker, who
// checks at the door (seed 003 §五(五): 基层网格员要及时上门核实), and closed.
//
// Pushes travel through a Broker: in process for SQLite and tests, and
// through PostgreSQL LISTEN/NOTIFY between the replicas of a deployment
// (DESIGN §11). A message carries no personal data, only where the alert
// belongs; each subscriber reloads the alert through the scope filter.
package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/alertpause"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// Kinds of alerts.
const (
	KindScan         = "SCAN"
	KindColourChange = "COLOUR_CHANGE"
)

// Reasons of a colour-change alert (seed 001 §4).
const (
	ReasonColourOrange = "COLOUR_ORANGE"
	ReasonColourRed    = "COLOUR_RED"
)

// Column limits of the alerts table (ent MaxLen counts bytes).
const (
	maxPath   = 512
	maxPlace  = 200
	maxName   = 100
	maxIDMask = 32
	maxNote   = 1000
	maxReason = 500
)

// bulkChunk bounds the rows of one INSERT: about 20 parameters a row keeps
// a chunk far below SQLite's and PostgreSQL's parameter limits.
const bulkChunk = 500

// Raise describes one alert to raise.
type Raise struct {
	Kind                       string // "SCAN" or "COLOUR_CHANGE"
	ScopePath, Place           string
	Sector                     *scenario.Sector
	ScanID, SiteID, PersonID   *int
	NameMasked, IDNumberMasked string
	Reasons                    []string
	Colour                     *string
	Temperature                *float64
}

// Message is what travels to subscribers (no personal data): the alert to
// reload and what a subscription needs to decide whether it may see it
// (Visible).
type Message struct {
	AlertID    int    `json:"id"`
	ScopePath  string `json:"p"`
	Sector     string `json:"s,omitempty"`
	AssigneeID int    `json:"a,omitempty"`
}

// Service raises and handles alerts.
type Service struct {
	Client *ent.Client
	Broker Broker
	Now    func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().Truncate(time.Microsecond)
	}
	return time.Now().Truncate(time.Microsecond)
}

// system returns ctx for the service's own lookups (pauses, the alert being
// handled, the assignee): they must not go through the request's scope
// filter, which hides alert pauses from everyone and other account trees
// from a senior.
// SECURITY: the rows read with it are never returned to the caller as
// such; Handle makes its own permission checks before acting.
func system(ctx context.Context) context.Context { return authz.AsSystem(ctx) }

// RaiseMany inserts the alerts with c (the caller's transaction client) in
// one bulk insert (chunks of 500 rows for very large batches), marking
// pushed=false for those under a paused region (an AlertPause whose path is
// a prefix of the alert's scope_path): they are kept, and listed, but not
// pushed. It returns the created alerts, in the order of rs, and the
// messages to publish for the pushed ones; the caller calls Publish after
// its transaction commits, so no subscriber hears of an alert that was
// rolled back.
func (s *Service) RaiseMany(ctx context.Context, c *ent.Client, rs []Raise) ([]*ent.Alert, []Message, error) {
	if len(rs) == 0 {
		return nil, nil, nil
	}
	c = s.client(ctx, c)
	paths := make([]string, len(rs))
	for i := range rs {
		if err := checkRaise(&rs[i]); err != nil {
			return nil, nil, fmt.Errorf("alerts: raise %d: %w", i, err)
		}
		paths[i] = rs[i].ScopePath
	}
	paused, err := pausedPaths(ctx, c, paths)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	out := make([]*ent.Alert, 0, len(rs))
	for lo := 0; lo < len(rs); lo += bulkChunk {
		hi := min(lo+bulkChunk, len(rs))
		builders := make([]*ent.AlertCreate, 0, hi-lo)
		for i := lo; i < hi; i++ {
			builders = append(builders, build(c, &rs[i], !underAny(rs[i].ScopePath, paused), now))
		}
		created, err := c.Alert.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("alerts: insert: %w", err)
		}
		out = append(out, created...)
	}
	var msgs []Message
	for _, a := range out {
		if a.Pushed {
			msgs = append(msgs, MessageOf(a))
		}
	}
	return out, msgs, nil
}

// MessageOf returns the message announcing a (no assignee).
func MessageOf(a *ent.Alert) Message {
	m := Message{AlertID: a.ID, ScopePath: a.ScopePath}
	if a.Sector != nil {
		m.Sector = string(*a.Sector)
	}
	return m
}

func checkRaise(r *Raise) error {
	switch r.Kind {
	case KindScan, KindColourChange:
	default:
		return fmt.Errorf("kind %q is not SCAN or COLOUR_CHANGE", r.Kind)
	}
	if !validPath(r.ScopePath) {
		return fmt.Errorf("scope path %q is not a tree path", r.ScopePath)
	}
	return nil
}

// validPath reports whether p looks like a tree path: "/…/" of at most the
// column's length.
func validPath(p string) bool {
	return len(p) <= maxPath && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") && !strings.Contains(p, "//")
}

func build(c *ent.Client, r *Raise, pushed bool, now time.Time) *ent.AlertCreate {
	reasons := append([]string{}, r.Reasons...)
	b := c.Alert.Create().
		SetKind(alert.Kind(r.Kind)).
		SetScopePath(r.ScopePath).
		// A long name must not make the scan that raised the alert fail.
		SetPlace(validate.Clip(r.Place, maxPlace)).
		SetNillableSector(r.Sector).
		SetNillableScanID(r.ScanID).
		SetNillableSiteID(r.SiteID).
		SetNillablePersonID(r.PersonID).
		SetNameMasked(validate.Clip(r.NameMasked, maxName)).
		SetIDNumberMasked(validate.Clip(r.IDNumberMasked, maxIDMask)).
		SetReasons(reasons).
		SetNillableTemperature(r.Temperature).
		SetPushed(pushed).
		SetRaisedAt(now).
		SetUpdatedAt(now)
	if r.Colour != nil {
		b.SetColour(alert.Colour(*r.Colour))
	}
	return b
}

// pauseCandidates returns, once each, the paths a pause covering any of
// paths may have: each path and every path above it ("/22/2201/s5/",
// "/22/2201/", "/22/", "/"). A batch's scans mostly share their sites, so
// the walk up from a path stops at the first path already listed: the
// paths above it are listed too.
func pauseCandidates(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		for end := len(p); end > 0; {
			a := p[:end]
			if seen[a] {
				break
			}
			seen[a] = true
			out = append(out, a)
			end = strings.LastIndexByte(a[:len(a)-1], '/') + 1
		}
	}
	return out
}

// pausedPaths returns the paths of the pauses covering any of paths.
func pausedPaths(ctx context.Context, c *ent.Client, paths []string) ([]string, error) {
	candidates := pauseCandidates(paths)
	var paused []string
	const chunk = 500
	for lo := 0; lo < len(candidates); lo += chunk {
		hi := min(lo+chunk, len(candidates))
		found, err := c.AlertPause.Query().
			Where(alertpause.PathIn(candidates[lo:hi]...)).
			Select(alertpause.FieldPath).Strings(system(ctx))
		if err != nil {
			return nil, fmt.Errorf("alerts: read pauses: %w", err)
		}
		paused = append(paused, found...)
	}
	return paused, nil
}

// underAny reports whether p lies under one of the paused paths (few: a
// pause is set by hand for a flooded region).
func underAny(p string, paused []string) bool {
	for _, q := range paused {
		if tree.Contains(q, p) {
			return true
		}
	}
	return false
}

// Publish pushes msgs to the subscribers. A push is a convenience on top of
// the recorded alert (the list shows it either way), so a failure is logged
// and never fails the caller, whose transaction has committed already.
func (s *Service) Publish(ctx context.Context, msgs []Message) {
	if len(msgs) == 0 || s.Broker == nil {
		return
	}
	// The request may end right after; the push still goes out, bounded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.Broker.Publish(ctx, msgs); err != nil {
		slog.Default().ErrorContext(ctx, "alerts: publish failed", "messages", len(msgs), "err", err)
	}
}

// PublishAfterCommit publishes msgs once the transaction in ctx commits
// (never, when it rolls back), or at once when ctx carries no transaction:
// for callers that raise alerts inside a transaction they do not commit
// themselves.
func (s *Service) PublishAfterCommit(ctx context.Context, msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		s.Publish(ctx, msgs)
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(cctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(cctx, tx); err != nil {
				return err
			}
			s.Publish(cctx, msgs)
			return nil
		})
	})
}

// ForColourChange returns the alert to raise when a person's colour changes
// to ORANGE or RED, nil otherwise. seed 001 §4: 橙色 (close contacts,
// quarantined) and 红色 (suspected, confirmed) are the colours to act on;
// seed 004 annex note 3 shows 橙码 in the 异常提醒 module; DESIGN §6. The
// alert belongs to the person's residence so the residence community's
// grid worker can check at the door (seed 003 §五(五)); when the residence
// is unknown it belongs to the root "/", which only the province INITIATOR
// sees. Place is left empty: the caller may fill in the residence region's
// name. The cause of the change stays on its ColourChange row: the alert
// carries only the reason code.
func ForColourChange(p *ent.Person, from, to string) *Raise {
	if p == nil || from == to {
		return nil
	}
	var reason string
	switch to {
	case "ORANGE":
		reason = ReasonColourOrange
	case "RED":
		reason = ReasonColourRed
	default:
		return nil
	}
	scope := p.ResidencePath
	if !validPath(scope) {
		scope = "/"
	}
	id := p.ID
	colour := to
	return &Raise{
		Kind:           KindColourChange,
		ScopePath:      scope,
		PersonID:       &id,
		NameMasked:     p.NameMasked,
		IDNumberMasked: p.IDNumberMasked,
		Reasons:        []string{reason},
		Colour:         &colour,
	}
}

// SetPause pauses (or resumes) pushes for a region's subtree; authorization
// is the caller's job. Alerts raised while paused are still recorded (with
// pushed=false); resuming does not push them afterwards.
func (s *Service) SetPause(ctx context.Context, regionID int, regionPath string, paused bool, reason string, byAccountID int) error {
	c := s.client(ctx, nil)
	if !paused {
		_, err := c.AlertPause.Delete().Where(alertpause.RegionID(regionID)).Exec(system(ctx))
		if err != nil {
			return fmt.Errorf("alerts: resume pushes: %w", err)
		}
		return nil
	}
	if !validPath(regionPath) {
		return mashang.FieldErrorf(mashang.EINVALID, "regionPath", "The region's path %q is not a tree path such as /22/2201/.", regionPath)
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > maxReason {
		return mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason is %d bytes long; shorten it to at most %d bytes (about %d Chinese characters).", len(reason), maxReason, maxReason/3)
	}
	err := c.AlertPause.Create().
		SetRegionID(regionID).SetPath(regionPath).SetReason(reason).
		SetByAccountID(byAccountID).SetAt(s.now()).
		OnConflictColumns(alertpause.FieldRegionID).UpdateNewValues().
		Exec(system(ctx))
	if err != nil {
		return fmt.Errorf("alerts: pause pushes: %w", err)
	}
	return nil
}

// Paused reports whether pushes are paused for scopePath: whether a pause
// of its region or of any region above it is in force.
func (s *Service) Paused(ctx context.Context, c *ent.Client, scopePath string) (bool, error) {
	paused, err := pausedPaths(ctx, s.client(ctx, c), []string{scopePath})
	if err != nil {
		return false, err
	}
	return underAny(scopePath, paused), nil
}

// client returns c, else the transaction in ctx, else the service's client.
func (s *Service) client(ctx context.Context, c *ent.Client) *ent.Client {
	if c != nil {
		return c
	}
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	return s.Client
}

// inTx runs fn in one transaction: the one in ctx (its owner commits; the
// messages go out when it does), a new one on the service's client, or —
// when that client is transactional already — that client's, whose owner
// commits. It publishes msgs (as fn left them) after the commit.
func (s *Service) inTx(ctx context.Context, fn func(c *ent.Client) ([]Message, error)) error {
	if tx := ent.TxFromContext(ctx); tx != nil {
		msgs, err := fn(tx.Client())
		if err != nil {
			return err
		}
		s.PublishAfterCommit(ctx, msgs)
		return nil
	}
	tx, err := s.Client.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		// A transactional client whose Tx we cannot hook: the push may go
		// out before its owner commits. The message carries only the id, so
		// a subscriber that reloads too early finds the alert as it was.
		msgs, err := fn(s.Client)
		if err != nil {
			return err
		}
		s.Publish(ctx, msgs)
		return nil
	}
	if err != nil {
		return fmt.Errorf("alerts: begin: %w", err)
	}
	msgs, err := fn(tx.Client())
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("alerts: commit: %w", err)
	}
	s.Publish(ctx, msgs)
	return nil
}
