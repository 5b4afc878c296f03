package persons

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/health"
)

// colourRank orders the colours by severity (seed 001 §4; DESIGN §6: RED >
// ORANGE > YELLOW > GREEN).
var colourRank = map[string]int{"GREEN": 1, "YELLOW": 2, "ORANGE": 3, "RED": 4}

// ApplyRaising applies a reading that only a scanner's word ties to the
// person (a MANUAL registration of a registered person, issue 11): through
// the same rules as Apply, but only when they raise the person's colour.
// A reading that would keep or lower it changes nothing on the person (it
// stays in the scan), so an attestation never lowers a colour. It reports
// whether the reading was applied.
func (r *Readings) ApplyRaising(ctx context.Context, id int, celsius float64, at time.Time) (string, bool, error) {
	p := r.persons[id]
	if p == nil {
		return "", false, mashang.Errorf(mashang.EINTERNAL, "Internal error.")
	}
	if p.LastTemperatureAt != nil && at.Before(*p.LastTemperatureAt) {
		return p.Colour.String(), false, nil
	}
	trial := *p
	temp, when := celsius, at
	trial.LastTemperature, trial.LastTemperatureAt = &temp, &when
	next, _, changed := health.Transition(p.Colour.String(), factsOf(&trial, r.valid[id], r.now), r.prg)
	if !changed || colourRank[next] <= colourRank[p.Colour.String()] {
		return p.Colour.String(), false, nil
	}
	after, err := r.Apply(ctx, id, celsius, at)
	return after, err == nil, mashang.Wrap(err, "persons.ApplyRaising")
}
