// Package stats keeps the statistics rollups (DESIGN.md §11, issue 12):
// counters per node of the tree (a region at every level, a site), per
// local day and per dimension, changed in the transaction of the write
// they count, so that analytics never counts raw rows at query time.
//
// A write builds a Delta (what it adds to which counters, and which
// distinct members it has seen) and hands it to Apply inside its
// transaction: one upsert for the members and one for the counters, however
// many rows the write touched.
//
// Seed 000 §四.1 and §五.1 ask every level to count, every day, who
// registered and who was scanned, and to report it upwards; seed 003 annex 1
// sets the registration targets, annex 2 the checkpoints' built/enabled
// status.
package stats

import (
	"strings"
	"time"
)

// Metric names a counter. The names are the values of the GraphQL enum
// StatsMeasure where a measure is a plain sum of one metric.
type Metric string

// The metrics. Dimensions that apply are in brackets; the others are "".
const (
	// Registrations counts persons by the local day they registered, at
	// the nodes of their residence (seed 000 §五.1).
	Registrations Metric = "REGISTRATIONS"
	// Scans counts scans at the nodes of their site [category, sector,
	// method, decision, colour].
	Scans Metric = "SCANS"
	// Fevers counts the scans with a fever, like Scans.
	Fevers Metric = "FEVERS"
	// PeopleScanned counts the distinct persons scanned at a node on a day
	// (a person-day: summed over several days it counts a person once a day).
	PeopleScanned Metric = "PEOPLE_SCANNED"
	// AlertsRaised, AlertsAssigned, AlertsVisited and AlertsClosed count
	// alerts by the day of each step, at the nodes of the alert's scope
	// [sector, colour, detail = kind].
	AlertsRaised   Metric = "ALERTS_RAISED"
	AlertsAssigned Metric = "ALERTS_ASSIGNED"
	AlertsVisited  Metric = "ALERTS_VISITED"
	AlertsClosed   Metric = "ALERTS_CLOSED"
	// VisitSeconds sums, for the alerts visited that day, the seconds from
	// raising to the visit: divided by AlertsVisited it is the mean time to visit.
	VisitSeconds Metric = "VISIT_SECONDS"
	// ControlListChanges counts the persons a control-list import changed,
	// at the nodes of their residence [detail = the risk set].
	ControlListChanges Metric = "CONTROL_LIST_CHANGES"
	// ColourChanges counts code colour changes at the nodes of the person's
	// residence [colour = the new colour, detail = the cause's class].
	ColourChanges Metric = "COLOUR_CHANGES"
	// Accounts is a gauge (day ""): scanner accounts now, at the nodes of
	// their scope [detail = ROLE/STATUS or ROLE/DISABLED/REASON].
	Accounts Metric = "ACCOUNTS"
	// Sites, SitesBuilt and SitesEnabled are gauges (day ""): sites now at
	// the region nodes above them [category, sector] (seed 003 annex 2).
	Sites        Metric = "SITES"
	SitesBuilt   Metric = "SITES_BUILT"
	SitesEnabled Metric = "SITES_ENABLED"
	// SitesScanning counts the distinct sites with at least one scan that
	// day, at the region nodes above them [category, sector].
	SitesScanning Metric = "SITES_SCANNING"
)

// Level is the level of a node, from its path's last key.
type Level string

// The levels of the nodes (the region levels of DESIGN.md §2, and sites).
const (
	Province  Level = "PROVINCE"
	City      Level = "CITY"
	District  Level = "DISTRICT"
	Street    Level = "STREET"
	Community Level = "COMMUNITY"
	Site      Level = "SITE"
	// None is the node of a row counted nowhere in the tree (a person
	// registered without a residence); its path is "".
	None Level = "NONE"
)

// Node is one node a row is counted at.
type Node struct {
	Path  string
	Level Level
}

// Nodes returns every node of a path, from the root down: the regions
// (level by the length of their code: 2, 4, 6, 9, 12 digits) and the sites
// (keys "s<id>"). "/22/2201/220104/s7/" gives the province, the city, the
// district and the site. An empty path gives nothing.
func Nodes(path string) []Node {
	var out []Node
	for i := 1; i < len(path); {
		j := strings.IndexByte(path[i:], '/')
		if j < 0 {
			break
		}
		key := path[i : i+j]
		out = append(out, Node{Path: path[:i+j+1], Level: levelOf(key)})
		i += j + 1
	}
	return out
}

// RegionNodes returns the region nodes of a path (Nodes without the sites).
func RegionNodes(path string) []Node {
	all := Nodes(path)
	out := all[:0:0]
	for _, n := range all {
		if n.Level != Site {
			out = append(out, n)
		}
	}
	return out
}

// LevelOfPath returns the level of the node a path ends at.
func LevelOfPath(path string) Level {
	ns := Nodes(path)
	if len(ns) == 0 {
		return None
	}
	return ns[len(ns)-1].Level
}

func levelOf(key string) Level {
	if strings.HasPrefix(key, "s") {
		return Site
	}
	switch len(key) {
	case 2:
		return Province
	case 4:
		return City
	case 6:
		return District
	case 9:
		return Street
	case 12:
		return Community
	}
	return None
}

// Zone is the province's time zone: days are its local days, never UTC's
// (MASHANG_TIMEZONE, default Asia/Shanghai; set by the app at start).
var Zone = time.FixedZone("CST", 8*60*60)

// DayLayout is the layout of a day key.
const DayLayout = "2006-01-02"

// Day returns the local day of t in Zone, as "YYYY-MM-DD".
func Day(t time.Time) string { return t.In(Zone).Format(DayLayout) }
