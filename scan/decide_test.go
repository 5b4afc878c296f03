package scan_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/scan"
)

func f(v float64) *float64 { return &v }

// Changchun government square, roughly.
const siteLat, siteLng = 43.8868, 125.3245

// north returns the point d metres due north of the site: along a meridian
// the great-circle distance is R·Δφ.
func north(d float64) (*float64, *float64) {
	return f(siteLat + d/scan.EarthRadiusMetres*180/math.Pi), f(siteLng)
}

func fixedSite() scan.Site {
	return scan.Site{Latitude: f(siteLat), Longitude: f(siteLng), GeofenceRadius: 150, Enabled: true}
}

var onDuty = scan.Scanner{OwnColour: "GREEN", Active: true}

func input(m scan.Method, colour string, temp float64) scan.Input {
	lat, lng := north(10)
	return scan.Input{
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
		method    scan.Method
		colour    string
		temp      float64
		threshold float64
		decision  string
		fever     bool
		alert     bool
		reasons   []string
	}{
		{"green normal", scan.MethodScanCode, "GREEN", 36.5, 0, scan.Pass, false, false, nil},
		{"green 37.2 passes", scan.MethodScanCode, "GREEN", 37.2, 0, scan.Pass, false, false, nil},
		{"green 37.3 is fever", scan.MethodScanCode, "GREEN", 37.3, 0, scan.Deny, true, true, []string{scan.ReasonFever}},
		{"green 39 fever", scan.MethodShowCode, "GREEN", 39.0, 0, scan.Deny, true, true, []string{scan.ReasonFever}},
		{"yellow normal", scan.MethodScanCode, "YELLOW", 36.5, 0, scan.Deny, false, true, []string{scan.ReasonColourYellow}},
		{"orange normal", scan.MethodSelfScan, "ORANGE", 36.5, 0, scan.Deny, false, true, []string{scan.ReasonColourOrange}},
		{"red fever", scan.MethodScanCode, "RED", 38.0, 0, scan.Deny, true, true, []string{scan.ReasonColourRed, scan.ReasonFever}},
		{"custom threshold 37.5: 37.4 passes", scan.MethodScanCode, "GREEN", 37.4, 37.5, scan.Pass, false, false, nil},
		{"custom threshold 37.5: 37.5 fever", scan.MethodScanCode, "GREEN", 37.5, 37.5, scan.Deny, true, true, []string{scan.ReasonFever}},
		{"temperature at 34.0 bound", scan.MethodScanCode, "GREEN", 34.0, 0, scan.Pass, false, false, nil},
		// Seed 001 §5: 无码人员按原方式进行测温登记通行.
		{"manual normal passes", scan.MethodManual, "", 36.6, 0, scan.Pass, false, false, nil},
		{"manual 37.2 passes", scan.MethodManual, "", 37.2, 0, scan.Pass, false, false, nil},
		{"manual fever denied", scan.MethodManual, "", 37.3, 0, scan.Deny, true, true, []string{scan.ReasonFever}},
		{"manual colour ignored", scan.MethodManual, "RED", 36.6, 0, scan.Pass, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(tt.method, tt.colour, tt.temp)
			in.FeverThreshold = tt.threshold
			o := scan.Decide(fixedSite(), onDuty, in)
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
	}{{"GREEN", scan.Pass}, {"RED", scan.Deny}} {
		in := input(scan.MethodScanCode, tt.colour, 36.5)
		in.ForeignIssuer = "anhui-akm"
		o := scan.Decide(fixedSite(), onDuty, in)
		if o.Refused != nil || o.Decision != tt.decision || o.Colour != tt.colour || o.ForeignIssuer != "anhui-akm" {
			t.Errorf("%s: got %+v", tt.colour, o)
		}
	}
}

// Seed 001 §7 (on duty), seed 003 附件2 (启用), seed 003 §二(五) (vehicles).
func TestDecideRefusals(t *testing.T) {
	limit := 150 + scan.GPSToleranceMetres
	atLat, atLng := north(limit - 0.5)
	pastLat, pastLng := north(limit + 0.5)
	farLat, farLng := north(5000)

	vehicle := scan.Site{Latitude: f(siteLat), Longitude: f(siteLng), GeofenceRadius: 150, Vehicle: true, Enabled: true}
	noCoords := scan.Site{GeofenceRadius: 150, Enabled: true}
	noRadius := fixedSite()
	noRadius.GeofenceRadius = 0
	disabledSite := fixedSite()
	disabledSite.Enabled = false

	tests := []struct {
		name    string
		site    scan.Site
		scanner scan.Scanner
		mutate  func(*scan.Input)
		code    string // "" = recorded
		field   string
		disable string
	}{
		{"on duty in place", fixedSite(), onDuty, nil, "", "", ""},
		{"inactive scanner", fixedSite(), scan.Scanner{OwnColour: "GREEN"}, nil, mashang.EACCOUNTDISABLED, "", ""},
		{"inactive scanner far away is not disabled again", fixedSite(), scan.Scanner{OwnColour: "GREEN"},
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, mashang.EACCOUNTDISABLED, "", ""},
		{"scanner yellow", fixedSite(), scan.Scanner{OwnColour: "YELLOW", Active: true}, nil, scan.ECodeNotGreen, "", scan.DisableCodeNotGreen},
		{"scanner red", fixedSite(), scan.Scanner{OwnColour: "RED", Active: true}, nil, scan.ECodeNotGreen, "", scan.DisableCodeNotGreen},
		{"scanner colour unknown", fixedSite(), scan.Scanner{Active: true}, nil, scan.ECodeNotGreen, "", scan.DisableCodeNotGreen},
		{"scanner not green on a vehicle", vehicle, scan.Scanner{OwnColour: "ORANGE", Active: true}, nil, scan.ECodeNotGreen, "", scan.DisableCodeNotGreen},
		{"site not enabled", disabledSite, onDuty, nil, scan.ESiteNotEnabled, "", ""},
		{"just inside radius+tolerance", fixedSite(), onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = atLat, atLng }, "", "", ""},
		{"just beyond radius+tolerance", fixedSite(), onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = pastLat, pastLng }, scan.EGeofence, "", scan.DisableGeofence},
		{"5 km away", fixedSite(), onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, scan.EGeofence, "", scan.DisableGeofence},
		{"vehicle 5 km away never geofenced", vehicle, onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, "", "", ""},
		{"vehicle without device location", vehicle, onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = nil, nil }, "", "", ""},
		{"site without coordinates", noCoords, onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, "", "", ""},
		{"site with radius 0", noRadius, onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = farLat, farLng }, "", "", ""},
		{"geofenced site, no device location", fixedSite(), onDuty,
			func(in *scan.Input) { in.DeviceLat, in.DeviceLng = nil, nil }, mashang.EINVALID, "deviceLocation", ""},
		{"invalid temperature refused", fixedSite(), onDuty,
			func(in *scan.Input) { in.Temperature = 45 }, mashang.EINVALID, "temperature", ""},
		{"manual far away is still geofenced", fixedSite(), onDuty,
			func(in *scan.Input) { in.Method, in.DeviceLat, in.DeviceLng = scan.MethodManual, farLat, farLng }, scan.EGeofence, "", scan.DisableGeofence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(scan.MethodScanCode, "GREEN", 36.5)
			if tt.mutate != nil {
				tt.mutate(&in)
			}
			o := scan.Decide(tt.site, tt.scanner, in)
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
			if tt.code == "" && o.Decision != scan.Pass {
				t.Errorf("decision %q, want PASS", o.Decision)
			}
		})
	}
}

func TestOutsideGeofenceBoundary(t *testing.T) {
	limit := 150 + scan.GPSToleranceMetres
	tests := []struct {
		dist   float64
		radius int
		want   bool
	}{
		{0, 150, false},
		{150, 150, false},
		{limit, 150, false}, // exactly radius + tolerance is inside
		{math.Nextafter(limit, math.Inf(1)), 150, true},
		{limit + 1, 150, true},
		{1e7, 0, false},  // no geofence
		{1e7, -5, false}, // nonsense radius means none
	}
	for _, tt := range tests {
		if got := scan.OutsideGeofence(tt.dist, tt.radius); got != tt.want {
			t.Errorf("OutsideGeofence(%v, %d) = %v, want %v", tt.dist, tt.radius, got, tt.want)
		}
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
		{"one degree of latitude", 0, 0, 1, 0, scan.EarthRadiusMetres * math.Pi / 180, 1e-9},
		{"one degree of longitude at equator", 0, 100, 0, 101, scan.EarthRadiusMetres * math.Pi / 180, 1e-9},
		{"quarter meridian", 0, 0, 90, 0, scan.EarthRadiusMetres * math.Pi / 2, 1e-9},
		{"antipodes", 0, 0, 0, 180, scan.EarthRadiusMetres * math.Pi, 1e-9},
	}
	for _, tt := range tests {
		got := scan.DistanceMetres(tt.lat1, tt.lng1, tt.lat2, tt.lng2)
		if math.Abs(got-tt.want) > tt.want*tt.tolerance {
			t.Errorf("%s: %.1f m, want %.1f m ± %.4g%%", tt.name, got, tt.want, tt.tolerance*100)
		}
		back := scan.DistanceMetres(tt.lat2, tt.lng2, tt.lat1, tt.lng1)
		if math.Abs(back-got) > 1e-6 {
			t.Errorf("%s: not symmetric: %v vs %v", tt.name, got, back)
		}
	}
	if d := scan.DistanceMetres(siteLat, siteLng, siteLat, siteLng); d != 0 {
		t.Errorf("same point: %v", d)
	}
	lat, lng := north(200)
	if d := scan.DistanceMetres(siteLat, siteLng, *lat, *lng); math.Abs(d-200) > 1e-6 {
		t.Errorf("200 m north: %v", d)
	}
}

func TestValidateInput(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*scan.Input)
		field  string // "" = valid
	}{
		{"valid scan", nil, ""},
		{"valid manual without colour", func(in *scan.Input) { in.Method, in.PersonColour = scan.MethodManual, "" }, ""},
		{"valid without device location", func(in *scan.Input) { in.DeviceLat, in.DeviceLng = nil, nil }, ""},
		{"valid foreign", func(in *scan.Input) { in.ForeignIssuer = "anhui" }, ""},
		{"valid at 43.0", func(in *scan.Input) { in.Temperature = 43.0 }, ""},
		{"empty method", func(in *scan.Input) { in.Method = "" }, "method"},
		{"unknown method", func(in *scan.Input) { in.Method = "FACE" }, "method"},
		{"lowercase method", func(in *scan.Input) { in.Method = "scan_code" }, "method"},
		{"temperature 33.9", func(in *scan.Input) { in.Temperature = 33.9 }, "temperature"},
		{"temperature 43.1", func(in *scan.Input) { in.Temperature = 43.1 }, "temperature"},
		{"temperature zero", func(in *scan.Input) { in.Temperature = 0 }, "temperature"},
		{"temperature NaN", func(in *scan.Input) { in.Temperature = math.NaN() }, "temperature"},
		{"fever threshold 20", func(in *scan.Input) { in.FeverThreshold = 20 }, "feverThreshold"},
		{"latitude without longitude", func(in *scan.Input) { in.DeviceLng = nil }, "deviceLocation"},
		{"longitude without latitude", func(in *scan.Input) { in.DeviceLat = nil }, "deviceLocation"},
		{"latitude 91", func(in *scan.Input) { in.DeviceLat = f(91) }, "deviceLocation"},
		{"longitude -181", func(in *scan.Input) { in.DeviceLng = f(-181) }, "deviceLocation"},
		{"scan code without colour", func(in *scan.Input) { in.PersonColour = "" }, "colour"},
		{"show code without colour", func(in *scan.Input) { in.Method, in.PersonColour = scan.MethodShowCode, "" }, "colour"},
		{"self scan without colour", func(in *scan.Input) { in.Method, in.PersonColour = scan.MethodSelfScan, "" }, "colour"},
		{"unknown colour", func(in *scan.Input) { in.PersonColour = "BLUE" }, "colour"},
		{"manual with foreign issuer", func(in *scan.Input) { in.Method, in.ForeignIssuer = scan.MethodManual, "anhui" }, "foreignIssuer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(scan.MethodScanCode, "GREEN", 36.5)
			if tt.mutate != nil {
				tt.mutate(&in)
			}
			err := scan.ValidateInput(in)
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
