package door_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/door"
)

func f(v float64) *float64 { return &v }

// Changchun government square, roughly.
const siteLat, siteLng = 43.8868, 125.3245

// north returns the point d metres due north of the site: along a meridian
// the great-circle distance is R·Δφ.
func north(d float64) (*float64, *float64) {
	return f(siteLat + d/door.EarthRadiusMetres*180/math.Pi), f(siteLng)
}

func fixedSite() door.Site {
	return door.Site{Latitude: f(siteLat), Longitude: f(siteLng), GeofenceRadius: 150, Enabled: true}
}

var onDuty = door.Scanner{OwnColour: "GREEN", Active: true}

func input(m door.Method, colour string, temp float64) door.Input {
	lat, lng := north(10)
	return door.Input{
		Method: m, Temperature: temp, PersonColour: colour,
		DeviceLat: lat, DeviceLng: lng,
		Now: time.Date(2020, 3, 1, 8, 0, 0, 0, time.UTC), ClientTime: time.Date(2020, 3, 1, 7, 59, 58, 0, time.UTC),
	}
}

func code(err error) string {
	if err == nil {
		return ""
	}
	var e *mashang.Error
	if !errors.As(err, &e) {
		return "not *mashang.Error: " + err.Error()
	}
	return e.Code
}

func field(err error) string {
	var e *mashang.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Seed 001 §4: 体温≥37.3 is abnormal; PASS only for green and normal temperature.
func TestDecideColourAndFever(t *testing.T) {
	tests := []struct {
		name      string
		method    door.Method
		colour    string
		temp      float64
		threshold float64
		decision  string
		fever     bool
		alert     bool
		reasons   []string
	}{
		{"green normal", door.MethodScanCode, "GREEN", 36.5, 0, door.Pass, false, false, nil},
		{"green 37.2 passes", door.MethodScanCode, "GREEN", 37.2, 0, door.Pass, false, false, nil},
		{"green 37.3 is fever", door.MethodScanCode, "GREEN", 37.3, 0, door.Deny, true, true, []string{door.ReasonFever}},
		{"green 39 fever", door.MethodShowCode, "GREEN", 39.0, 0, door.Deny, true, true, []string{door.ReasonFever}},
		{"yellow normal", door.MethodScanCode, "YELLOW", 36.5, 0, door.Deny, false, true, []string{door.ReasonColourYellow}},
		{"orange normal", door.MethodSelfScan, "ORANGE", 36.5, 0, door.Deny, false, true, []string{door.ReasonColourOrange}},
		{"red fever", door.MethodScanCode, "RED", 38.0, 0, door.Deny, true, true, []string{door.ReasonColourRed, door.ReasonFever}},
		{"custom threshold 37.5: 37.4 passes", door.MethodScanCode, "GREEN", 37.4, 37.5, door.Pass, false, false, nil},
		{"custom threshold 37.5: 37.5 fever", door.MethodScanCode, "GREEN", 37.5, 37.5, door.Deny, true, true, []string{door.ReasonFever}},
		{"temperature at 34.0 bound", door.MethodScanCode, "GREEN", 34.0, 0, door.Pass, false, false, nil},
		// Seed 001 §5: 无码人员按原方式进行测温登记通行.
		{"manual normal passes", door.MethodManual, "", 36.6, 0, door.Pass, false, false, nil},
		{"manual 37.2 passes", door.MethodManual, "", 37.2, 0, door.Pass, false, false, nil},
		{"manual fever denied", door.MethodManual, "", 37.3, 0, door.Deny, true, true, []string{door.ReasonFever}},
		{"manual colour ignored", door.MethodManual, "RED", 36.6, 0, door.Pass, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(tt.method, tt.colour, tt.temp)
			in.FeverThreshold = tt.threshold
			o := door.Decide(fixedSite(), onDuty, in)
			if o.Refused != nil {
				t.Fatalf("refused: %v", o.Refused)
			}
			if o.Decision != tt.decision || o.Fever != tt.fever || o.Alert != tt.alert {
				t.Errorf("got decision=%s fever=%v alert=%v, want %s %v %v", o.Decision, o.Fever, o.Alert, tt.decision, tt.fever, tt.alert)
			}
			if !reflect.DeepEqual(o.AlertReasons, tt.reasons) {
				t.Errorf("reasons %v, want %v", o.AlertReasons, tt.reasons)
			}
			if o.DisableScanner != "" {
				t.Errorf("DisableScanner=%q on a normal scan", o.DisableScanner)
			}
		})
	}
}

func TestDecideForeignTokenKeepsColourAndIssuer(t *testing.T) {
	for _, tt := range []struct {
		colour, decision string
	}{{"GREEN", door.Pass}, {"RED", door.Deny}} {
		in := input(door.MethodScanCode, tt.colour, 36.5)
		in.ForeignIssuer = "anhui-akm"
		o := door.Decide(fixedSite(), onDuty, in)
		if o.Refused != nil || o.Decision != tt.decision || o.Colour != tt.colour || o.ForeignIssuer != "anhui-akm" {
			t.Errorf("%s: got %+v", tt.colour, o)
		}
	}
}

// Seed 001 §7 (on duty), seed 003 附件2 (启用), seed 003 §二(五) (vehicles).
func TestDecideRefusals(t *testing.T) {
	limit := 150 + door.DefaultGeofence.MarginMetres
	atLat, atLng := north(limit - 0.5)
	pastLat, pastLng := north(limit + 0.5)
	farLat, farLng := north(5000)

	vehicle := door.Site{Latitude: f(siteLat), Longitude: f(siteLng), GeofenceRadius: 150, Vehicle: true, Enabled: true}
	noCoords := door.Site{GeofenceRadius: 150, Enabled: true}
	noRadius := fixedSite()
	noRadius.GeofenceRadius = 0
	disabledSite := fixedSite()
	disabledSite.Enabled = false

	tests := []struct {
		name    string
		site    door.Site
		scanner door.Scanner
		mutate  func(*door.Input)
		code    string // "" = recorded
		field   string
		disable string
	}{
		{"on duty in place", fixedSite(), onDuty, nil, "", "", ""},
		{"inactive scanner", fixedSite(), door.Scanner{OwnColour: "GREEN"}, nil, mashang.EACCOUNTDISABLED, "", ""},
		{"inactive scanner far away is not disabled again", fixedSite(), door.Scanner{OwnColour: "GREEN"},
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, mashang.EACCOUNTDISABLED, "", ""},
		{"scanner yellow", fixedSite(), door.Scanner{OwnColour: "YELLOW", Active: true}, nil, mashang.ECODENOTGREEN, "", door.DisableCodeNotGreen},
		{"scanner red", fixedSite(), door.Scanner{OwnColour: "RED", Active: true}, nil, mashang.ECODENOTGREEN, "", door.DisableCodeNotGreen},
		{"scanner colour unknown", fixedSite(), door.Scanner{Active: true}, nil, mashang.ECODENOTGREEN, "", door.DisableCodeNotGreen},
		{"scanner not green on a vehicle", vehicle, door.Scanner{OwnColour: "ORANGE", Active: true}, nil, mashang.ECODENOTGREEN, "", door.DisableCodeNotGreen},
		{"site not enabled", disabledSite, onDuty, nil, mashang.ESITENOTENABLED, "", ""},
		{"just inside radius+margin", fixedSite(), onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = atLat, atLng }, "", "", ""},
		{"just beyond radius+margin, a first far fix only warns", fixedSite(), onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = pastLat, pastLng }, "", "", ""},
		{"just beyond radius+margin, a second far fix", fixedSite(), onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng, in.PriorFarFixes = pastLat, pastLng, 1 }, mashang.EGEOFENCE, "", door.DisableGeofence},
		{"just beyond radius+margin but within the fix's accuracy", fixedSite(), onDuty,
			func(in *door.Input) {
				in.DeviceLat, in.DeviceLng, in.PriorFarFixes, in.DeviceAccuracy = pastLat, pastLng, 1, f(10)
			}, "", "", ""},
		{"5 km away, a claimed accuracy of 10 km counts as 500 m", fixedSite(), onDuty,
			func(in *door.Input) {
				in.DeviceLat, in.DeviceLng, in.PriorFarFixes, in.DeviceAccuracy = farLat, farLng, 1, f(10000)
			}, mashang.EGEOFENCE, "", door.DisableGeofence},
		{"accuracy out of range", fixedSite(), onDuty,
			func(in *door.Input) { in.DeviceAccuracy = f(-1) }, mashang.EINVALID, "accuracy", ""},
		{"vehicle 5 km away never geofenced", vehicle, onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, "", "", ""},
		{"vehicle without device location", vehicle, onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = nil, nil }, "", "", ""},
		{"site without coordinates", noCoords, onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, "", "", ""},
		{"site with radius 0", noRadius, onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, "", "", ""},
		{"geofenced site, no device location", fixedSite(), onDuty,
			func(in *door.Input) { in.DeviceLat, in.DeviceLng = nil, nil }, mashang.EINVALID, "deviceLocation", ""},
		{"invalid temperature refused", fixedSite(), onDuty,
			func(in *door.Input) { in.Temperature = 45 }, mashang.EINVALID, "temperature", ""},
		{"manual far away is still geofenced", fixedSite(), onDuty,
			func(in *door.Input) {
				in.Method, in.DeviceLat, in.DeviceLng, in.PriorFarFixes = door.MethodManual, farLat, farLng, 1
			}, mashang.EGEOFENCE, "", door.DisableGeofence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(door.MethodScanCode, "GREEN", 36.5)
			if tt.mutate != nil {
				tt.mutate(&in)
			}
			o := door.Decide(tt.site, tt.scanner, in)
			if got := code(o.Refused); got != tt.code {
				t.Fatalf("refusal code %q (%v), want %q", got, o.Refused, tt.code)
			}
			if got := field(o.Refused); got != tt.field {
				t.Errorf("field %q, want %q", got, tt.field)
			}
			if o.DisableScanner != tt.disable {
				t.Errorf("DisableScanner %q, want %q", o.DisableScanner, tt.disable)
			}
			if tt.code != "" && (o.Decision != "" || o.Alert) {
				t.Errorf("refused scan carries decision=%q alert=%v", o.Decision, o.Alert)
			}
			if tt.code == "" && o.Decision != door.Pass {
				t.Errorf("decision %q, want PASS", o.Decision)
			}
		})
	}
}

func TestFarFixBoundary(t *testing.T) {
	limit := 150 + 100.0
	tests := []struct {
		dist     float64
		radius   int
		accuracy float64
		want     bool
	}{
		{0, 150, 0, false},
		{150, 150, 0, false},
		{limit, 150, 0, false}, // exactly radius + margin is near
		{math.Nextafter(limit, math.Inf(1)), 150, 0, true},
		{limit + 30, 150, 30, false},  // the fix's accuracy counts
		{limit + 501, 150, 1e4, true}, // up to MaxAccuracyMetres
		{limit + 1, 150, -50, true},   // a negative accuracy counts as 0
		{1e7, 0, 0, false},            // no geofence
		{1e7, -5, 0, false},           // nonsense radius means none
	}
	for _, tt := range tests {
		if got := door.FarFix(tt.dist, tt.radius, tt.accuracy, 100); got != tt.want {
			t.Errorf("FarFix(%v, %d, %v) = %v, want %v", tt.dist, tt.radius, tt.accuracy, got, tt.want)
		}
	}
}

// issue 11, point 15: a single far fix is recorded and marked, never
// refused.
func TestAFirstFarFixIsMarkedNotRefused(t *testing.T) {
	lat, lng := north(5000)
	in := input(door.MethodScanCode, "GREEN", 36.5)
	in.DeviceLat, in.DeviceLng = lat, lng
	o := door.Decide(fixedSite(), onDuty, in)
	if o.Refused != nil || !o.FarFix || o.Decision != door.Pass || o.DisableScanner != "" {
		t.Fatalf("got %+v", o)
	}
	in.DeviceLat, in.DeviceLng = f(siteLat), f(siteLng)
	if o := door.Decide(fixedSite(), onDuty, in); o.FarFix {
		t.Fatalf("a fix at the site is far: %+v", o)
	}
}

func TestDistanceMetres(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want, tolerance        float64
	}{
		// Reference by the spherical law of cosines (an independent formula)
		// on the same radius: 1,568.5 km; ~1,570 km on maps.
		{"Changchun-Ningguo", 43.8171, 125.3235, 30.6336, 118.9830, 1568506, 0.01},
		{"one degree of latitude", 0, 0, 1, 0, door.EarthRadiusMetres * math.Pi / 180, 1e-9},
		{"one degree of longitude at equator", 0, 100, 0, 101, door.EarthRadiusMetres * math.Pi / 180, 1e-9},
		{"quarter meridian", 0, 0, 90, 0, door.EarthRadiusMetres * math.Pi / 2, 1e-9},
		{"antipodes", 0, 0, 0, 180, door.EarthRadiusMetres * math.Pi, 1e-9},
	}
	for _, tt := range tests {
		got := door.DistanceMetres(tt.lat1, tt.lng1, tt.lat2, tt.lng2)
		if math.Abs(got-tt.want) > tt.want*tt.tolerance {
			t.Errorf("%s: %.1f m, want %.1f m ± %.4g%%", tt.name, got, tt.want, tt.tolerance*100)
		}
		back := door.DistanceMetres(tt.lat2, tt.lng2, tt.lat1, tt.lng1)
		if math.Abs(back-got) > 1e-6 {
			t.Errorf("%s: not symmetric: %v vs %v", tt.name, got, back)
		}
	}
	if d := door.DistanceMetres(siteLat, siteLng, siteLat, siteLng); d != 0 {
		t.Errorf("same point: %v", d)
	}
	lat, lng := north(200)
	if d := door.DistanceMetres(siteLat, siteLng, *lat, *lng); math.Abs(d-200) > 1e-6 {
		t.Errorf("200 m north: %v", d)
	}
}

func TestValidateInput(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*door.Input)
		field  string // "" = valid
	}{
		{"valid scan", nil, ""},
		{"valid manual without colour", func(in *door.Input) { in.Method, in.PersonColour = door.MethodManual, "" }, ""},
		{"valid without device location", func(in *door.Input) { in.DeviceLat, in.DeviceLng = nil, nil }, ""},
		{"valid foreign", func(in *door.Input) { in.ForeignIssuer = "anhui" }, ""},
		{"valid at 43.0", func(in *door.Input) { in.Temperature = 43.0 }, ""},
		{"empty method", func(in *door.Input) { in.Method = "" }, "method"},
		{"unknown method", func(in *door.Input) { in.Method = "FACE" }, "method"},
		{"lowercase method", func(in *door.Input) { in.Method = "scan_code" }, "method"},
		{"temperature 33.9", func(in *door.Input) { in.Temperature = 33.9 }, "temperature"},
		{"temperature 43.1", func(in *door.Input) { in.Temperature = 43.1 }, "temperature"},
		{"temperature zero", func(in *door.Input) { in.Temperature = 0 }, "temperature"},
		{"temperature NaN", func(in *door.Input) { in.Temperature = math.NaN() }, "temperature"},
		{"fever threshold 20", func(in *door.Input) { in.FeverThreshold = 20 }, "feverThreshold"},
		{"latitude without longitude", func(in *door.Input) { in.DeviceLng = nil }, "deviceLocation"},
		{"longitude without latitude", func(in *door.Input) { in.DeviceLat = nil }, "deviceLocation"},
		{"latitude 91", func(in *door.Input) { in.DeviceLat = f(91) }, "deviceLocation"},
		{"longitude -181", func(in *door.Input) { in.DeviceLng = f(-181) }, "deviceLocation"},
		{"scan code without colour", func(in *door.Input) { in.PersonColour = "" }, "colour"},
		{"show code without colour", func(in *door.Input) { in.Method, in.PersonColour = door.MethodShowCode, "" }, "colour"},
		{"self scan without colour", func(in *door.Input) { in.Method, in.PersonColour = door.MethodSelfScan, "" }, "colour"},
		{"unknown colour", func(in *door.Input) { in.PersonColour = "BLUE" }, "colour"},
		{"manual with foreign issuer", func(in *door.Input) { in.Method, in.ForeignIssuer = door.MethodManual, "anhui" }, "foreignIssuer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(door.MethodScanCode, "GREEN", 36.5)
			if tt.mutate != nil {
				tt.mutate(&in)
			}
			err := door.ValidateInput(in)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if code(err) != mashang.EINVALID || field(err) != tt.field {
				t.Fatalf("got code=%q field=%q (%v), want INVALID_INPUT on %q", code(err), field(err), err, tt.field)
			}
		})
	}
}

// issue 11: a person named without a code (MANUAL) is decided on their
// record, which the Outcome never discloses.
func TestDecideRecordedColourIsNotDisclosed(t *testing.T) {
	for colour, want := range map[string]string{"GREEN": door.Pass, "YELLOW": door.Deny, "ORANGE": door.Deny, "RED": door.Deny} {
		in := input(door.MethodManual, "", 36.5)
		in.RecordedColour = colour
		o := door.Decide(fixedSite(), onDuty, in)
		if o.Refused != nil || o.Decision != want || o.Colour != "" {
			t.Fatalf("recorded %s: %+v, want %s and no colour", colour, o, want)
		}
		if wantRefer := want == door.Deny; wantRefer != reflect.DeepEqual(o.AlertReasons, []string{door.ReasonRefer}) || (!wantRefer && len(o.AlertReasons) != 0) {
			t.Fatalf("recorded %s: reasons %v", colour, o.AlertReasons)
		}
	}
	in := input(door.MethodManual, "", 36.5)
	in.RecordedColour = "PURPLE"
	if o := door.Decide(fixedSite(), onDuty, in); code(o.Refused) != mashang.EINVALID {
		t.Fatalf("a bad recorded colour: %+v", o)
	}
}
