package stats

import (
	"sort"
)

// Key is one counter: a metric for a node on a day, with its dimensions.
type Key struct {
	Day      string
	Node     string
	Metric   Metric
	Category string
	Sector   string
	Method   string
	Decision string
	Colour   string
	Detail   string
}

// memberKey is one distinct member of a node on a day.
type memberKey struct {
	Day    string
	Node   string
	Member string
}

// Delta is what one write adds to the rollups: counter increments (which
// may be negative, for gauges and for corrections such as a person moving
// house) and distinct members, each with the counter it increments the
// first time it is seen. The zero value is empty and ready to use; it is
// not safe for concurrent use.
type Delta struct {
	counts  map[Key]int64
	members map[memberKey][]Key
}

// All is the value of every dimension of a total counter: the sum of a
// metric's counters of a node on a day over all its dimensions, kept as a
// row of its own so that a query not grouped or filtered by a dimension
// reads one row a node and day instead of one a mix of dimensions (issue 12
// Performance: p95 ≤ 50 ms for a province by district over 30 days).
const All = "*"

// Total returns the total counter of k's metric, node and day.
func Total(k Key) Key {
	k.Category, k.Sector, k.Method, k.Decision, k.Colour, k.Detail = All, All, All, All, All, All
	return k
}

// HasTotal tells whether a metric's counters are also summed into a total
// counter by Add. REGISTRATIONS and PEOPLE_SCANNED carry no dimension (one
// counter a node and day already); SITES_SCANNING is distinct, so its total
// counts the sites themselves (a Distinct of its own, stats/scans.go), not
// the sum of its counters.
func HasTotal(m Metric) bool {
	return m != Registrations && m != PeopleScanned && m != SitesScanning
}

// IsTotal tells whether k is a total counter.
func (k Key) IsTotal() bool { return k.Category == All }

// Add adds n to the counter k and, when its metric has totals, to its
// total counter (HasTotal): live writes and recounts both come here, so
// verify holds the totals to the raw rows too.
func (d *Delta) Add(k Key, n int64) {
	if n == 0 {
		return
	}
	d.add(k, n)
	if HasTotal(k.Metric) && !k.IsTotal() {
		d.add(Total(k), n)
	}
}

// add adds n to the counter k alone.
func (d *Delta) add(k Key, n int64) {
	if d.counts == nil {
		d.counts = make(map[Key]int64)
	}
	d.counts[k] += n
}

// AddAt adds n to the counter k at every node of nodes (k.Node is replaced).
func (d *Delta) AddAt(nodes []Node, k Key, n int64) {
	for _, nd := range nodes {
		k.Node = nd.Path
		d.Add(k, n)
	}
}

// Distinct records that member was seen at k's node on k's day: when
// Apply inserts it for the first time, k is incremented by one (once, even
// when several writes race). Different keys may share a member row; each
// is incremented when it is new.
func (d *Delta) Distinct(member string, k Key) {
	if d.members == nil {
		d.members = make(map[memberKey][]Key)
	}
	mk := memberKey{Day: k.Day, Node: k.Node, Member: member}
	for _, have := range d.members[mk] {
		if have == k {
			return
		}
	}
	d.members[mk] = append(d.members[mk], k)
}

// Member records a member row that increments nothing when it is new: a
// fact kept for later writes to test against (the sites a person was
// scanned at on a day, stats/scans.go).
func (d *Delta) Member(day, node, member string) {
	if d.members == nil {
		d.members = make(map[memberKey][]Key)
	}
	mk := memberKey{Day: day, Node: node, Member: member}
	if _, ok := d.members[mk]; !ok {
		d.members[mk] = nil
	}
}

// Merge adds all of o to d.
func (d *Delta) Merge(o *Delta) {
	for k, n := range o.counts {
		d.add(k, n) // o's totals are in o.counts already
	}
	for mk, ks := range o.members {
		if len(ks) == 0 {
			d.Member(mk.Day, mk.Node, mk.Member)
		}
		for _, k := range ks {
			d.Distinct(mk.Member, k)
		}
	}
}

// Empty tells whether the delta changes nothing.
func (d *Delta) Empty() bool { return len(d.counts) == 0 && len(d.members) == 0 }

// Counts returns the counter increments (for tests and verify).
func (d *Delta) Counts() map[Key]int64 { return d.counts }

// sortedKeys returns the counters in one fixed order, so that concurrent
// transactions lock the rows they upsert in the same order (no deadlock).
func sortedKeys(m map[Key]int64) []Key {
	keys := make([]Key, 0, len(m))
	for k, n := range m {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	return keys
}

// sortKeys sorts keys in sortedKeys' order.
func sortKeys(keys []Key) {
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
}

func keyLess(a, b Key) bool {
	as := [...]string{a.Node, a.Day, string(a.Metric), a.Category, a.Sector, a.Method, a.Decision, a.Colour, a.Detail}
	bs := [...]string{b.Node, b.Day, string(b.Metric), b.Category, b.Sector, b.Method, b.Decision, b.Colour, b.Detail}
	for i := range as {
		if as[i] != bs[i] {
			return as[i] < bs[i]
		}
	}
	return false
}

func sortedMembers(m map[memberKey][]Key) []memberKey {
	keys := make([]memberKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Node != b.Node {
			return a.Node < b.Node
		}
		return a.Member < b.Member
	})
	return keys
}
