package supervision

import (
	"context"
	"fmt"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/outboxmessage"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/statcount"
	"github.com/mashang/mashang/i18n"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/tree"
)

// DigestLease is the lease the daily digest runs under.
const DigestLease = "daily-digest"

// Digest writes, once a day, one message per district OFFICIAL into the
// outbox with the previous local day's figures of its district (seed 000
// §四.1 汇总全区每天注册人数和扫码人数, §五.3 实时监控全区扫码情况): registrations,
// scans, fevers, alerts raised that day and open now, and the enabled
// MANDATORY sites without a scan that day. Run it as a scheduler job: on
// every tick it sends what is missing for yesterday. Each message's outbox
// key names the official and the day, so a second run, a restart or
// another replica adds nothing.
type Digest struct {
	Client *ent.Client
}

// DigestKey is the outbox key of the digest of an account for a day.
func DigestKey(accountID int, day string) string { return fmt.Sprintf("digest:%s:%d", day, accountID) }

// Figures are one district's figures of a day.
type Figures struct {
	Registrations, Scans, Fevers, AlertsRaised, AlertsOpen, IdleSites int64
}

// Run is the job: it returns how many messages it enqueued.
func (d *Digest) Run(ctx context.Context, now time.Time) (int, error) {
	day := Yesterday(now)
	officials, err := d.Client.Account.Query().
		Where(account.RoleEQ(account.RoleOFFICIAL), account.StatusEQ(account.StatusACTIVE)).
		WithHolder().All(ctx)
	if err != nil {
		return 0, mashang.Wrap(err, "digest: officials")
	}
	var due []*ent.Account
	keys := []string{}
	for _, a := range officials {
		if stats.LevelOfPath(a.ScopePath) == stats.District && a.Edges.Holder != nil {
			due = append(due, a)
			keys = append(keys, DigestKey(a.ID, day))
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	sent, err := d.Client.OutboxMessage.Query().Where(outboxmessage.KeyIn(keys...)).Select(outboxmessage.FieldKey).Strings(ctx)
	if err != nil {
		return 0, mashang.Wrap(err, "digest: sent")
	}
	done := make(map[string]bool, len(sent))
	for _, k := range sent {
		done[k] = true
	}
	names, err := regionNames(ctx, d.Client, due)
	if err != nil {
		return 0, err
	}
	var msgs []outbox.Message
	for _, a := range due {
		if done[DigestKey(a.ID, day)] {
			continue
		}
		f, err := DistrictFigures(ctx, d.Client, a.ScopePath, sectorOf(a), day, now)
		if err != nil {
			return 0, err
		}
		h := a.Edges.Holder
		msgs = append(msgs, outbox.Message{Key: DigestKey(a.ID, day), RecipientSealed: h.PhoneSealed, RecipientMasked: h.PhoneMasked,
			Body: DigestText(names[a.ScopePath], day, f)})
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	err = database.InTx(ctx, d.Client, func(ctx context.Context, c *ent.Client) error {
		return outbox.EnqueueMany(ctx, c, msgs)
	}, database.Fresh())
	if err != nil {
		return 0, mashang.Wrap(err, "digest: enqueue")
	}
	return len(msgs), nil
}

// regionNames are the names of the officials' districts, by path.
func regionNames(ctx context.Context, c *ent.Client, officials []*ent.Account) (map[string]string, error) {
	paths := make([]string, len(officials))
	for i, a := range officials {
		paths[i] = a.ScopePath
	}
	rows, err := c.Region.Query().Where(region.PathIn(paths...)).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "digest: districts")
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Path] = r.Name
	}
	return out, nil
}

func sectorOf(a *ent.Account) []scenario.Sector {
	if a.Sector == nil || *a.Sector == "" {
		return nil
	}
	return []scenario.Sector{*a.Sector}
}

// Yesterday is the local day before now's (stats.Zone).
func Yesterday(now time.Time) string {
	today, _ := time.ParseInLocation(stats.DayLayout, stats.Day(now), stats.Zone)
	return today.AddDate(0, 0, -1).Format(stats.DayLayout)
}

// DistrictFigures reads the figures of the node at path for day from the
// rollups (a SUM over the counters of one node; registrations have no
// sector, the others are limited to sectors when given), the alerts open
// now, and the idle MANDATORY sites of that day.
func DistrictFigures(ctx context.Context, c *ent.Client, path string, sectors []scenario.Sector, day string, now time.Time) (*Figures, error) {
	f := &Figures{}
	var err error
	if f.Registrations, err = sumAt(ctx, c, path, day, stats.Registrations, nil); err != nil {
		return nil, err
	}
	for _, m := range []struct {
		metric stats.Metric
		into   *int64
	}{{stats.Scans, &f.Scans}, {stats.Fevers, &f.Fevers}, {stats.AlertsRaised, &f.AlertsRaised}} {
		if *m.into, err = sumAt(ctx, c, path, day, m.metric, sectors); err != nil {
			return nil, err
		}
	}
	open := []predicate.Alert{predicate.Alert(tree.Within(alert.FieldScopePath, path)), alert.StatusNEQ(alert.StatusCLOSED)}
	if sectors != nil {
		open = append(open, alert.SectorIn(sectors...))
	}
	n, err := c.Alert.Query().Where(open...).Count(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "digest: open alerts")
	}
	f.AlertsOpen = int64(n)
	rep := &Report{Path: path, Date: day, Sectors: sectors, client: c}
	if n, err = c.Site.Query().Where(rep.idle()...).Count(ctx); err != nil {
		return nil, mashang.Wrap(err, "digest: idle sites")
	}
	f.IdleSites = int64(n)
	return f, nil
}

// sumAt sums a metric's counters of one node on one day.
func sumAt(ctx context.Context, c *ent.Client, path, day string, m stats.Metric, sectors []scenario.Sector) (int64, error) {
	// The dimensioned counters only: the total counter (category '*',
	// stats.Total) holds their sum again.
	q := c.StatCount.Query().Where(statcount.NodePath(path), statcount.Day(day), statcount.Metric(string(m)), statcount.CategoryNEQ(stats.All))
	if sectors != nil {
		s := make([]string, len(sectors))
		for i, x := range sectors {
			s[i] = string(x)
		}
		q.Where(statcount.SectorIn(s...))
	}
	var rows []struct {
		Sum *int64 `json:"sum"`
	}
	if err := q.Aggregate(ent.Sum(statcount.FieldValue)).Scan(ctx, &rows); err != nil {
		return 0, mashang.Wrap(err, "digest: "+string(m))
	}
	if len(rows) == 0 || rows[0].Sum == nil {
		return 0, nil
	}
	return *rows[0].Sum, nil
}

// DigestText is the message, in Chinese through the catalog (the catalog is
// keyed by format, as errors are; the message carries no personal data).
func DigestText(region, day string, f *Figures) string {
	return i18n.Notice(i18n.Chinese, "Daily digest of %s for %s: %d registered, %d scans, %d with fever, %d alerts raised, %d alerts open, %d mandatory sites without a scan.",
		region, day, f.Registrations, f.Scans, f.Fevers, f.AlertsRaised, f.AlertsOpen, f.IdleSites)
}
