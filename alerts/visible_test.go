package alerts_test

import (
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
)

func TestVisible(t *testing.T) {
	v := func(id int, role, scope, sector string) *mashang.Viewer {
		return &mashang.Viewer{AccountID: id, Role: role, ScopePath: scope, Sector: sector}
	}
	var (
		initiator    = v(1, mashang.RoleInitiator, "/", "")
		senior       = v(2, mashang.RoleSenior, district, "")
		seniorOther  = v(3, mashang.RoleSenior, otherCity, "")
		official     = v(4, mashang.RoleOfficial, city, "")
		officialH    = v(5, mashang.RoleOfficial, city, "HEALTH")
		intermediate = v(6, mashang.RoleIntermediate, siteA, "")
		ordinary     = v(7, mashang.RoleOrdinary, siteA, "")
		grid         = v(8, mashang.RoleGridWorker, communA, "")
		grid2        = v(9, mashang.RoleGridWorker, communA, "")
		disabled     = v(10, mashang.RoleInitiator, "/", "")
		noScope      = v(11, mashang.RoleSenior, "", "")
	)
	disabled.Disabled = true
	svc := &alerts.Service{Enforcer: authz.MustEnforcer()}
	health := alerts.Message{AlertID: 100, ScopePath: siteA, Sector: "HEALTH"}
	edu := alerts.Message{AlertID: 101, ScopePath: siteA, Sector: "EDUCATION"}
	none := alerts.Message{AlertID: 102, ScopePath: communA}
	elsewhere := alerts.Message{AlertID: 103, ScopePath: otherCity + "220202/s9/"}
	root := alerts.Message{AlertID: 104, ScopePath: "/"}
	assigned := alerts.Message{AlertID: 105, ScopePath: siteA, AssigneeID: 8}

	for _, tc := range []struct {
		name  string
		v     *mashang.Viewer
		scope string
		m     alerts.Message
		want  bool
	}{
		{"as the INITIATOR, anything under the subscription", initiator, "/", elsewhere, true},
		{"as the INITIATOR, an alert of unknown residence", initiator, "/", root, true},
		{"as the INITIATOR subscribed to a district, not another city", initiator, district, elsewhere, false},
		{"as the INITIATOR subscribed to a district, its alerts", initiator, district, health, true},
		{"as a SENIOR, its district", senior, district, health, true},
		{"as a SENIOR subscribed to a community of its district", senior, communA, none, true},
		{"as a SENIOR subscribed to another community", senior, communB, health, false},
		{"as a SENIOR subscribed wider than its scope", senior, "/", elsewhere, false},
		{"as a SENIOR, an alert of unknown residence", senior, "/", root, false},
		{"as a SENIOR of another city", seniorOther, otherCity, health, false},
		{"as a SENIOR of another city, its own", seniorOther, otherCity, elsewhere, true},
		{"as a SENIOR with no scope", noScope, "/", health, false},
		{"as an OFFICIAL of the city", official, city, edu, true},
		{"as an OFFICIAL of the city, another city", official, "/", elsewhere, false},
		{"as an OFFICIAL for HEALTH, a HEALTH alert", officialH, city, health, true},
		{"as an OFFICIAL for HEALTH, an EDUCATION alert", officialH, city, edu, false},
		{"as an OFFICIAL for HEALTH, an alert of no sector", officialH, city, none, true},
		{"as an INTERMEDIATE scanner of the site", intermediate, siteA, health, false},
		{"as an ORDINARY scanner of the site", ordinary, siteA, health, false},
		{"as the GRID_WORKER, an unassigned alert of its community", grid, communA, none, false},
		{"as the GRID_WORKER, the alert assigned to it", grid, communA, assigned, true},
		{"as another GRID_WORKER of the community", grid2, communA, assigned, false},
		{"as the GRID_WORKER, assigned, outside the subscription", grid, communB, assigned, false},
		{"as a disabled INITIATOR", disabled, "/", health, false},
		{"anonymously", nil, "/", health, false},
		{"with an empty subscription scope", initiator, "", health, false},
		{"a message without a scope", initiator, "/", alerts.Message{AlertID: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := svc.Visible(tc.v, tc.scope, tc.m); got != tc.want {
				t.Fatalf("Visible = %v, want %v", got, tc.want)
			}
		})
	}
}
