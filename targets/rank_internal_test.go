package targets

import (
	"slices"
	"testing"
)

func TestRankSharesEqualRatesAndPutsNoTargetLast(t *testing.T) {
	rate := func(r float64) *float64 { return &r }
	rows := []*Rank{
		{Progress: &Progress{Rate: nil, Registered: 9}},
		{Progress: &Progress{Rate: rate(0.5)}},
		{Progress: &Progress{Rate: rate(0.9)}},
		{Progress: &Progress{Rate: rate(0.5)}},
		{Progress: &Progress{Rate: rate(1.2)}},
	}
	rank(rows)
	var ranks []int
	var rates []float64
	for _, r := range rows {
		ranks = append(ranks, r.Rank)
		if r.Progress.Rate != nil {
			rates = append(rates, *r.Progress.Rate)
		}
	}
	if !slices.Equal(ranks, []int{1, 2, 3, 3, 5}) || !slices.Equal(rates, []float64{1.2, 0.9, 0.5, 0.5}) || rows[4].Progress.Rate != nil {
		t.Errorf("ranks %v rates %v", ranks, rates)
	}
}
