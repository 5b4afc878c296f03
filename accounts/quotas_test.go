package accounts_test

import (
	"testing"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/scenario"
)

func TestParseCategoryQuotas(t *testing.T) {
	got, err := accounts.ParseCategoryQuotas("")
	if err != nil || got[scenario.TransportHub]["INTERMEDIATE"] != 1 || got[scenario.GovernmentServiceHall]["INTERMEDIATE"] != 1 {
		t.Fatalf("default %v %v", got, err)
	}
	got, err = accounts.ParseCategoryQuotas(" transport_hub: ; COMMUNITY:ORDINARY=50, INTERMEDIATE=3 ")
	if err != nil || len(got[scenario.TransportHub]) != 0 || got[scenario.Community]["ORDINARY"] != 50 ||
		got[scenario.Community]["INTERMEDIATE"] != 3 || got[scenario.GovernmentServiceHall]["INTERMEDIATE"] != 1 {
		t.Fatalf("changed %v %v", got, err)
	}
	if got, err = accounts.ParseCategoryQuotas("-"); err != nil || len(got) != 0 {
		t.Fatalf("emptied %v %v", got, err)
	}
	if accounts.DefaultCategoryQuotas[scenario.TransportHub]["INTERMEDIATE"] != 1 {
		t.Fatal("parsing changed the default table")
	}
	for _, bad := range []string{"CASINO:ORDINARY=1", "PARK", "PARK:ORDINARY=x", "PARK:ORDINARY=-1", "PARK:OFFICIAL=1"} {
		if _, err := accounts.ParseCategoryQuotas(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
