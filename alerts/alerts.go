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
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
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
	Kind                     string // "SCAN" or "COLOUR_CHANGE"
	ScopePath, Place         string
	Sector                   *scenario.Sector
	ScanID, SiteID, PersonID *int
	// ResidencePath is where the person lives; RaiseMany fills it from
	// PersonID when empty (issue 11, point 12).
	ResidencePath              string
	NameMasked, IDNumberMasked string
	Reasons                    []string
	Colour                     *string
	Temperature                *float64
}

// Message is what travels to subscribers (no personal data): the alert to
// reload and what a subscription needs to decide whether it may see it
// (Service.Visible).
type Message struct {
	AlertID   int    `json:"id"`
	ScopePath string `json:"p"`
	// ResidencePath is the residence of the person the alert is about, ""
	// when unknown: the alert is delivered there too (issue 11, point 12).
	ResidencePath string `json:"r,omitempty"`
	Sector        string `json:"s,omitempty"`
	AssigneeID    int    `json:"a,omitempty"`
}

// Service raises, pushes and handles alerts. Every method that acts for a
// caller (Handle, Steps, Subscribe, SetPause, Pauses) checks that caller
// itself, through Authorize.
type Service struct {
	Client *ent.Client
	Broker Broker
	// Enforcer holds the alert lines of the policy; without it every
	// caller is refused.
	Enforcer *authz.Enforcer
	// Box opens the person's sealed phone and address for the assigned
	// grid worker's visit (Contact).
	Box *pii.Box
	Now func() time.Time
	// Rollups counts the alerts' steps (Handle) and the alerts of colour
	// changes (OnColourChange) in their transactions; nil counts nothing
	// (issue 12). RaiseMany counts nothing itself: its caller adds the
	// alerts it returns to its own delta (stats.AddAlertsRaised).
	Rollups *stats.Rollups
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().Truncate(time.Microsecond)
	}
	return time.Now().Truncate(time.Microsecond)
}

// system returns ctx for what the system does on its own account, never
// returned to a caller as such: reading the pauses that decide whether an
// alert is pushed, loading the alert a caller asks to handle and the grid
// worker it is to be assigned to before Authorize decides. The request's
// scope filter would hide pauses from every caller but the initiator and
// other account trees from a senior.
func system(ctx context.Context) context.Context { return authz.AsSystem(ctx) }

// RaiseMany does not count the alerts in the statistics: the caller adds
// them with stats.AddAlertsRaised to the delta it applies in the same
// transaction (one Apply for a whole batch of scans, issue 12).
//
// RaiseMany inserts the alerts with c (the caller's transaction client; nil
// for the one in ctx) in one bulk insert (chunks of 500 rows for very large
// batches), then marks pushed=false those under a paused region (holdPaused):
// they are kept, and listed, but not pushed. It returns the created alerts,
// in the order of rs, and the messages to publish for the pushed ones; the
// caller calls Publish after its transaction commits, so no subscriber hears
// of an alert that was rolled back. The system raises alerts (for a scan, a
// colour change): there is no caller to check.
func (s *Service) RaiseMany(ctx context.Context, c *ent.Client, rs []Raise) ([]*ent.Alert, []Message, error) {
	if len(rs) == 0 {
		return nil, nil, nil
	}
	if c == nil {
		c = database.ClientFrom(ctx, s.Client)
	}
	for i := range rs {
		if err := checkRaise(&rs[i]); err != nil {
			return nil, nil, fmt.Errorf("alerts: raise %d: %w", i, err)
		}
	}
	if err := fillResidences(ctx, c, rs); err != nil {
		return nil, nil, mashang.Wrap(err, "alerts.RaiseMany")
	}
	now := s.now()
	out := make([]*ent.Alert, 0, len(rs))
	for lo := 0; lo < len(rs); lo += bulkChunk {
		hi := min(lo+bulkChunk, len(rs))
		builders := make([]*ent.AlertCreate, 0, hi-lo)
		for i := lo; i < hi; i++ {
			builders = append(builders, build(c, &rs[i], now))
		}
		created, err := c.Alert.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("alerts: insert: %w", err)
		}
		if err := holdPaused(ctx, c, created); err != nil {
			return nil, nil, mashang.Wrap(err, "alerts.RaiseMany")
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
	m := Message{AlertID: a.ID, ScopePath: a.ScopePath, ResidencePath: a.ResidencePath}
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

// residence is p when it is a tree path, "" otherwise (unknown residence).
func residence(p string) string {
	if validPath(p) {
		return p
	}
	return ""
}

// fillResidences sets the ResidencePath of every raise about a person that
// has none, from the persons' residences, read as the system (one query):
// seed 003 §五(五) 基层网格员要及时上门核实 — a fever at the hospital concerns
// the community where the person lives as well as the hospital's region
// (issue 11, point 12).
func fillResidences(ctx context.Context, c *ent.Client, rs []Raise) error {
	var ids []int
	for i := range rs {
		if rs[i].PersonID != nil && rs[i].ResidencePath == "" {
			ids = append(ids, *rs[i].PersonID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ps, err := c.Person.Query().Where(person.IDIn(ids...)).Select(person.FieldID, person.FieldResidencePath).All(system(ctx))
	if err != nil {
		return fmt.Errorf("alerts: read residences: %w", err)
	}
	paths := make(map[int]string, len(ps))
	for _, p := range ps {
		paths[p.ID] = residence(p.ResidencePath)
	}
	for i := range rs {
		if rs[i].PersonID != nil && rs[i].ResidencePath == "" {
			rs[i].ResidencePath = paths[*rs[i].PersonID]
		}
	}
	return nil
}

// validPath reports whether p looks like a tree path: "/…/" of at most the
// column's length.
func validPath(p string) bool {
	return len(p) <= maxPath && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") && !strings.Contains(p, "//")
}

func build(c *ent.Client, r *Raise, now time.Time) *ent.AlertCreate {
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
		SetResidencePath(r.ResidencePath).
		SetNameMasked(validate.Clip(r.NameMasked, maxName)).
		SetIDNumberMasked(validate.Clip(r.IDNumberMasked, maxIDMask)).
		SetReasons(reasons).
		SetNillableTemperature(r.Temperature).
		SetPushed(true).
		SetRaisedAt(now).
		SetUpdatedAt(now)
	if r.Colour != nil {
		b.SetColour(scenario.Colour(*r.Colour))
	}
	return b
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
	database.AfterCommit(ctx, func(ctx context.Context) { s.Publish(ctx, msgs) })
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
		ResidencePath:  residence(p.ResidencePath),
		PersonID:       &id,
		NameMasked:     p.NameMasked,
		IDNumberMasked: p.IDNumberMasked,
		Reasons:        []string{reason},
		Colour:         &colour,
	}
}

// OnColourChange raises the alert of a person's colour change, in the
// transaction that changes it (c, and ctx carrying it), and pushes it once
// that transaction commits: it is the persons.Service hook. seed 004 annex
// note 3 / DESIGN §6: a change to ORANGE or RED raises an alert for the
// person's residence, named after the residence region (regions are public:
// no scope to bypass).
func (s *Service) OnColourChange(ctx context.Context, c *ent.Client, p *ent.Person, from, to, cause string) error {
	r := ForColourChange(p, from, to)
	if r == nil {
		return nil
	}
	if p.ResidenceRegionID != nil {
		if reg, err := c.Region.Get(ctx, *p.ResidenceRegionID); err == nil {
			r.Place = reg.Name
		}
	}
	raised, msgs, err := s.RaiseMany(ctx, c, []Raise{*r})
	if err != nil {
		return mashang.Wrap(err, "alerts.OnColourChange")
	}
	var d stats.Delta
	stats.AddAlertsRaised(&d, raised)
	if err := s.Rollups.Apply(ctx, c, &d); err != nil {
		return mashang.Wrap(err, "alerts.OnColourChange")
	}
	s.PublishAfterCommit(ctx, msgs)
	return nil
}
