package alerts_test

import (
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
)

// Every rule of Authorize, by the caller it keeps out (DESIGN §5 "view /
// handle alerts").
func TestAuthorize(t *testing.T) {
	v := func(id int, role, scope, sector string) *mashang.Viewer {
		return &mashang.Viewer{AccountID: id, Role: role, ScopePath: scope, Sector: sector}
	}
	var (
		initiator     = v(1, mashang.RoleInitiator, "/", "")
		senior        = v(2, mashang.RoleSenior, district, "")
		seniorOther   = v(3, mashang.RoleSenior, otherCity, "")
		official      = v(4, mashang.RoleOfficial, city, "")
		officialH     = v(5, mashang.RoleOfficial, city, "HEALTH")
		officialE     = v(6, mashang.RoleOfficial, city, "EDUCATION")
		officialOther = v(7, mashang.RoleOfficial, otherCity, "")
		intermediate  = v(8, mashang.RoleIntermediate, siteA, "")
		ordinary      = v(9, mashang.RoleOrdinary, siteA, "")
		grid          = v(10, mashang.RoleGridWorker, communA, "")
		grid2         = v(11, mashang.RoleGridWorker, communA, "")
		gridB         = v(12, mashang.RoleGridWorker, communB, "")
		noScope       = v(13, mashang.RoleSenior, "", "")
		disabled      = v(14, mashang.RoleInitiator, "/", "")
	)
	disabled.Disabled = true
	svc := &alerts.Service{Enforcer: authz.MustEnforcer()}

	subtree := func(p string) alerts.Target { return alerts.Target{ScopePath: p} }
	health := alerts.Target{ScopePath: siteA, Sector: "HEALTH"}
	assigned := alerts.Target{ScopePath: siteA, Sector: "HEALTH", AssigneeID: grid.AccountID}
	assignedB := alerts.Target{ScopePath: siteA, AssigneeID: gridB.AccountID} // assigned outside gridB's community
	residence := alerts.Target{ScopePath: communA}                            // a colour change: no sector
	// A fever at a hospital of another city, about a person living in
	// communA (issue 11, point 12).
	fever := alerts.Target{ScopePath: otherCity + "s9/", ResidencePath: communA, Sector: "HEALTH"}
	feverAssigned := alerts.Target{ScopePath: otherCity + "s9/", ResidencePath: communA, Sector: "HEALTH", AssigneeID: grid.AccountID}
	feverAssignedB := alerts.Target{ScopePath: otherCity + "s9/", ResidencePath: communA, AssigneeID: gridB.AccountID}

	for _, tc := range []struct {
		name string
		v    *mashang.Viewer
		act  string
		t    alerts.Target
		code string // "" = allowed
	}{
		// Following the pushes of a subtree.
		{"SubscribeAsTheInitiator", initiator, authz.ActSubscribe, subtree("/"), ""},
		{"SubscribeAsTheSeniorOfTheDistrict", senior, authz.ActSubscribe, subtree(communA), ""},
		{"SubscribeAsTheGridWorkerOfTheCommunity", grid, authz.ActSubscribe, subtree(communA), ""},
		{"SubscribeAsAnOrdinaryScanner", ordinary, authz.ActSubscribe, subtree(siteA), mashang.EFORBIDDEN},
		{"SubscribeAsAnIntermediateScanner", intermediate, authz.ActSubscribe, subtree(siteA), mashang.EFORBIDDEN},
		{"SubscribeAsASeniorOfAnotherCity", seniorOther, authz.ActSubscribe, subtree(district), mashang.EFORBIDDEN},
		{"SubscribeAsASeniorWiderThanItsScope", senior, authz.ActSubscribe, subtree(city), mashang.EFORBIDDEN},
		{"SubscribeAsAnOfficialOfAnotherCity", officialOther, authz.ActSubscribe, subtree(communA), mashang.EFORBIDDEN},
		{"SubscribeAsAGridWorkerOfAnotherCommunity", gridB, authz.ActSubscribe, subtree(communA), mashang.EFORBIDDEN},
		{"SubscribeAsASeniorWithoutScope", noScope, authz.ActSubscribe, subtree(district), mashang.EFORBIDDEN},
		{"SubscribeAsADisabledInitiator", disabled, authz.ActSubscribe, subtree("/"), mashang.EACCOUNTDISABLED},
		{"SubscribeAnonymously", nil, authz.ActSubscribe, subtree("/"), mashang.EUNAUTHENTICATED},

		// Seeing one alert.
		{"ReadAsTheSeniorOfTheDistrict", senior, authz.ActRead, health, ""},
		{"ReadAsAnOfficialForTheAlertsSector", officialH, authz.ActRead, health, ""},
		{"ReadAsAnOfficialOfASectorAnAlertOfNone", officialE, authz.ActRead, residence, ""},
		{"ReadAsTheAssignedGridWorker", grid, authz.ActRead, assigned, ""},
		{"ReadAsAnOfficialOfAnotherSector", officialE, authz.ActRead, health, mashang.EFORBIDDEN},
		{"ReadAsAnotherGridWorkerOfTheCommunity", grid2, authz.ActRead, assigned, mashang.EFORBIDDEN},
		{"ReadAsTheGridWorkerOfAnUnassignedAlert", grid, authz.ActRead, health, mashang.EFORBIDDEN},
		{"ReadAsAGridWorkerOfAnotherCommunity", gridB, authz.ActRead, assignedB, mashang.EFORBIDDEN},
		{"ReadAsAnOrdinaryScanner", ordinary, authz.ActRead, health, mashang.EFORBIDDEN},
		{"ReadAsASeniorOfAnotherCity", seniorOther, authz.ActRead, health, mashang.EFORBIDDEN},

		// Assigning and closing.
		{"AssignAsTheInitiator", initiator, authz.ActAssign, health, ""},
		{"AssignAsAnOfficialOfTheCity", official, authz.ActAssign, health, ""},
		{"AssignAsAnOfficialOfAnotherSector", officialE, authz.ActAssign, health, mashang.EFORBIDDEN},
		{"AssignAsAnOfficialOfAnotherCity", officialOther, authz.ActAssign, health, mashang.EFORBIDDEN},
		{"AssignAsAGridWorker", grid, authz.ActAssign, assigned, mashang.EFORBIDDEN},
		{"AssignAsAnOrdinaryScanner", ordinary, authz.ActAssign, health, mashang.EFORBIDDEN},
		{"CloseAsTheSeniorOfTheDistrict", senior, authz.ActClose, assigned, ""},
		{"CloseAsTheAssignedGridWorker", grid, authz.ActClose, assigned, mashang.EFORBIDDEN},
		{"CloseAsASeniorOfAnotherCity", seniorOther, authz.ActClose, assigned, mashang.EFORBIDDEN},
		{"CloseAsAnOfficialOfAnotherSector", officialE, authz.ActClose, assigned, mashang.EFORBIDDEN},

		// The visit at the door.
		{"VisitAsTheAssignedGridWorker", grid, authz.ActVisit, assigned, ""},
		{"VisitAsAnotherGridWorkerOfTheCommunity", grid2, authz.ActVisit, assigned, mashang.EFORBIDDEN},
		{"VisitAsAGridWorkerOfAnotherCommunity", gridB, authz.ActVisit, assignedB, mashang.EFORBIDDEN},
		{"VisitAsTheInitiator", initiator, authz.ActVisit, assigned, mashang.EFORBIDDEN},
		{"VisitAsTheSeniorOfTheDistrict", senior, authz.ActVisit, assigned, mashang.EFORBIDDEN},

		// Routed to where the person lives as well (issue 11, point 12).
		{"ReadAsTheOfficialWhereThePersonLives", official, authz.ActRead, fever, ""},
		{"AssignAsTheOfficialWhereThePersonLives", officialH, authz.ActAssign, fever, ""},
		{"AssignAsTheOfficialOfTheHospitalsCity", officialOther, authz.ActAssign, fever, ""},
		{"ReadAsAnOfficialOfAnotherSectorWhereThePersonLives", officialE, authz.ActRead, fever, mashang.EFORBIDDEN},
		{"ReadAsASeniorWhereThePersonLives", senior, authz.ActRead, fever, mashang.EFORBIDDEN},
		{"ReadAsTheAssignedGridWorkerWhereThePersonLives", grid, authz.ActRead, feverAssigned, ""},
		{"VisitAsTheAssignedGridWorkerWhereThePersonLives", grid, authz.ActVisit, feverAssigned, ""},
		{"VisitAsAnotherGridWorkerWhereThePersonLives", grid2, authz.ActVisit, feverAssigned, mashang.EFORBIDDEN},
		{"VisitAsAGridWorkerAssignedOutsideItsCommunity", gridB, authz.ActVisit, feverAssignedB, mashang.EFORBIDDEN},

		// Pausing a region's pushes.
		{"PauseAsTheInitiator", initiator, authz.ActPause, subtree(district), ""},
		{"PauseAsAnOfficialOfTheCity", official, authz.ActPause, subtree(district), ""},
		{"PauseAsAnOfficialOfAnotherCity", officialOther, authz.ActPause, subtree(district), mashang.EFORBIDDEN},
		{"PauseAsASenior", senior, authz.ActPause, subtree(district), mashang.EFORBIDDEN},
		{"PauseAsAGridWorker", grid, authz.ActPause, subtree(communA), mashang.EFORBIDDEN},
		{"PauseAsAnOrdinaryScanner", ordinary, authz.ActPause, subtree(siteA), mashang.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := svc.Authorize(tc.v, tc.act, tc.t)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantCode(t, err, tc.code, "")
		})
	}

	t.Run("WithoutAnEnforcer", func(t *testing.T) {
		if err := (&alerts.Service{}).Authorize(initiator, authz.ActRead, health); err == nil {
			t.Fatal("a service without its enforcer let the initiator in; it must refuse everyone")
		}
	})
	t.Run("SubscribeBeyondTheScopeNamesTheArgument", func(t *testing.T) {
		wantCode(t, svc.Authorize(seniorOther, authz.ActSubscribe, subtree(district)), mashang.EFORBIDDEN, "scope")
	})
}
