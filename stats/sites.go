package stats

import (
	"context"
	"database/sql"

	"github.com/mashang/mashang/ent"
)

// SITES, SITES_BUILT and SITES_ENABLED are gauges (day ""): the sites there
// are now, those built (已建) and those enabled (启用) (seed 003 annex 2,
// 检查点核验表), at every region node above each site (never at the sites
// themselves), with the dimensions category and sector. A sub-site (a
// department, floor or entrance) is a site and counts as one. The MANDATORY
// / ENCOURAGED policy of seed 004's annex follows from the category.
//
// Every write that creates a site, or changes its category, sector, built
// or enabled flags or its place in the tree, subtracts the site as it was
// and adds it as it is (AddSites with -1, then +1), in its transaction.

// SiteFacts are what the site gauges read of a site.
type SiteFacts struct {
	Path, Category, Sector string
	Built, Enabled         bool
}

// FactsOfSite returns what the site gauges read of s.
func FactsOfSite(s *ent.Site) SiteFacts {
	return SiteFacts{Path: s.Path, Category: string(s.Category), Sector: string(s.Sector), Built: s.Built, Enabled: s.Enabled}
}

// AddSite adds n (1 or -1) sites like f to d.
func AddSite(d *Delta, f SiteFacts, n int64) {
	nodes := RegionNodes(f.Path)
	k := Key{Metric: Sites, Category: f.Category, Sector: f.Sector}
	d.AddAt(nodes, k, n)
	if f.Built {
		k.Metric = SitesBuilt
		d.AddAt(nodes, k, n)
	}
	if f.Enabled {
		k.Metric = SitesEnabled
		d.AddAt(nodes, k, n)
	}
}

// AddSites adds n (1 or -1) times each of ss to d.
func AddSites(d *Delta, ss []*ent.Site, n int64) {
	for _, s := range ss {
		AddSite(d, FactsOfSite(s), n)
	}
}

// SiteChange adds to d the change of one site from before to after (nothing
// when nothing the gauges read changed).
func SiteChange(d *Delta, before, after *ent.Site) {
	b, a := FactsOfSite(before), FactsOfSite(after)
	if a == b {
		return
	}
	AddSite(d, b, -1)
	AddSite(d, a, 1)
}

func init() {
	Register(Recount{Name: "sites", Metrics: []Metric{Sites, SitesBuilt, SitesEnabled}, Count: recountSites})
}

// recountSites streams the sites (gauges: always whole).
func recountSites(ctx context.Context, c *ent.Client, _ string, d *Delta) error {
	return eachRow(ctx, c, "stats.recountSites", `SELECT path, category, sector, built, enabled FROM sites`,
		func(r *sql.Rows) error {
			var f SiteFacts
			if err := r.Scan(&f.Path, &f.Category, &f.Sector, &f.Built, &f.Enabled); err != nil {
				return err
			}
			AddSite(d, f, 1)
			return nil
		})
}
