// Package door holds the pure decision of recordScan: given the site, the
// acting scanner and what was measured, it says whether the scan is refused
// outright (an on-duty violation or bad input; nothing is recorded), and
// otherwise whether the person passes, has a fever and raises an alert.
// It touches no database; the resolver stores what the Outcome says.
//
// Where each rule lives:
//   - colours and the 37.3 °C fever line: seed 001 §4 (黄色：…现场测温异常（体温≥37.3摄氏度）);
//     a scan passes only when green and the temperature is normal (DESIGN §6);
//   - people without a code are registered by temperature, never turned away:
//     seed 001 §5 (无码人员按原方式进行测温登记通行; 老人、儿童、残障人士、外籍人士等参照无码人员管理);
//   - scanners on duty: seed 001 §7 (须进行定点扫码，如扫码位置与注册时提交的单位地址发生较大偏离，
//     账号将自动禁用; 所有扫码员上岗前要确保本人“吉祥码”健康状态为绿色; reactivation by the
//     superior only — so a disabled scanner is refused);
//   - buses and taxis (扫码乘车) move, so vehicles have no geofence: seed 003 §二(五);
//   - a site must be enabled (是否启用): seed 003 附件2;
//   - foreign tokens keep their colour and issuer: DESIGN §7 (seed 003 §二 在全省互通互认).
package door

import (
	"math"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/validate"
)

// Method is how the person's code (or lack of one) was presented.
type Method string

const (
	// MethodScanCode: the scanner scans the person's token.
	MethodScanCode Method = "SCAN_CODE"
	// MethodShowCode: the person shows the code and the scanner reads its colour.
	MethodShowCode Method = "SHOW_CODE"
	// MethodSelfScan: the person scans the site's code (场所码) themselves.
	MethodSelfScan Method = "SELF_SCAN"
	// MethodManual: a person without a code, registered by name, ID, phone and
	// temperature (seed 001 §5).
	MethodManual Method = "MANUAL"
)

// Valid reports whether m is one of the four methods.
func (m Method) Valid() bool {
	switch m {
	case MethodScanCode, MethodShowCode, MethodSelfScan, MethodManual:
		return true
	}
	return false
}

// Decisions.
const (
	Pass = "PASS"
	Deny = "DENY"
)

// Reasons an account is disabled by a scan (DESIGN §5 account lifecycle).
const (
	DisableGeofence     = "GEOFENCE"
	DisableCodeNotGreen = "CODE_NOT_GREEN"
)

// Alert reasons.
const (
	ReasonFever        = "FEVER"
	ReasonColourYellow = "COLOUR_YELLOW"
	ReasonColourOrange = "COLOUR_ORANGE"
	ReasonColourRed    = "COLOUR_RED"
	// ReasonRefer: the platform's record of a person named without a code
	// (MANUAL, or a shown code with the identity typed in) does not let them
	// through (seed 001 §4). The record's colour itself is not disclosed.
	ReasonRefer = "REFER"
)

// DefaultFeverThreshold is the temperature (°C) at and above which a reading
// is a fever (seed 001 §4: 体温≥37.3摄氏度).
const DefaultFeverThreshold = 37.3

// Geofence says when a scan is "较大偏离" (seed 001 §7: 如扫码位置与注册时提交的
// 单位地址发生较大偏离，账号将自动禁用) and when that disables the account
// (issue 11, point 15). Phone GPS is often tens, sometimes hundreds of
// metres off, and a disabled account waits for its superior: one bad fix
// must not do it. A fix is far when it lies beyond the site's radius plus
// the accuracy the device reports (at most MaxAccuracyMetres) plus
// MarginMetres. A far fix alone is a warning: the scan is recorded and
// marked (Scan.farFix). The account is disabled only when the far fixes
// among its last Of scans within Window, this one included, reach Far.
type Geofence struct {
	MarginMetres float64
	Far, Of      int
	Window       time.Duration
}

// DefaultGeofence: 100 m of margin; 2 far fixes of the last 3 scans within
// 30 minutes disable the account.
var DefaultGeofence = Geofence{MarginMetres: 100, Far: 2, Of: 3, Window: 30 * time.Minute}

// MaxAccuracyMetres bounds the accuracy a device may claim for its fix:
// beyond it, a fix says nothing and cannot excuse any distance.
const MaxAccuracyMetres = 500.0

// WithDefaults fills g's zero fields from DefaultGeofence.
func (g Geofence) WithDefaults() Geofence {
	d := DefaultGeofence
	if g.MarginMetres > 0 {
		d.MarginMetres = g.MarginMetres
	}
	if g.Far > 0 {
		d.Far = g.Far
	}
	if g.Of > 0 {
		d.Of = g.Of
	}
	if g.Window > 0 {
		d.Window = g.Window
	}
	if d.Of < d.Far {
		d.Of = d.Far
	}
	return d
}

// EarthRadiusMetres is the mean radius of the WGS-84 ellipsoid (IUGG R1).
const EarthRadiusMetres = 6371008.8

// Site is what the decision needs to know about the site scanned at.
type Site struct {
	Latitude, Longitude *float64 // registered location; nil if none
	GeofenceRadius      int      // metres; 0 (or less) means no geofence
	Vehicle             bool     // buses, taxis: never geofenced (seed 003 §二(五))
	Enabled             bool     // 是否启用 (seed 003 附件2)
}

// Geofenced reports whether scans at the site are checked against its
// registered location: a fixed site with both coordinates and a radius.
func (s Site) Geofenced() bool {
	return !s.Vehicle && s.Latitude != nil && s.Longitude != nil && s.GeofenceRadius > 0
}

// Scanner is the acting scanner account.
type Scanner struct {
	OwnColour string // the holder's own current code colour: GREEN, YELLOW, ORANGE, RED
	Active    bool
}

// Input is what the scanning device reports, plus the person's colour.
type Input struct {
	Method               Method
	Temperature          float64 // °C
	DeviceLat, DeviceLng *float64
	// DeviceAccuracy is the accuracy the device reports for its fix,
	// metres (0 to 10000); nil when none.
	DeviceAccuracy *float64
	// Geofence decides far fixes; zero fields take DefaultGeofence's.
	Geofence Geofence
	// PriorFarFixes is how many of the account's last Geofence.Of-1 scans
	// within Geofence.Window were far fixes (the caller counts them).
	PriorFarFixes int
	// PersonColour comes from the person's record or the verified token;
	// ignored for MANUAL.
	PersonColour string
	// RecordedColour is the colour on record of a registered person named
	// without a verified code (MANUAL, or SHOW_CODE with the identity typed
	// in); "" when there is none. The decision follows it (seed 001 §4: a red
	// person is not let through) but the Outcome never carries it: the
	// person's code was not presented, so the door sees only the decision
	// and the reason REFER (issue 11).
	RecordedColour string
	// ForeignIssuer is the issuer of another province's token from the trust
	// list; "" for this province's own codes. It only passes through.
	ForeignIssuer  string
	FeverThreshold float64 // °C; 0 means DefaultFeverThreshold
	Now            time.Time
	ClientTime     time.Time
}

// Outcome is the decision on one scan.
type Outcome struct {
	// Decision is PASS or DENY; "" when Refused.
	Decision string
	// Refused is set when the scan is not recorded as a scan at all
	// (*mashang.Error: INVALID_INPUT, ACCOUNT_DISABLED, SITE_NOT_ENABLED,
	// CODE_NOT_GREEN, GEOFENCE).
	Refused error
	// DisableScanner is "", GEOFENCE or CODE_NOT_GREEN: the caller disables
	// the acting account with that reason.
	DisableScanner string
	Fever          bool
	Alert          bool     // raise an Alert for the site's region
	AlertReasons   []string // COLOUR_* first, then FEVER
	DistanceMetres float64  // device to site, when the site is geofenced
	// FarFix: the fix deviates far (Geofence) but not yet often enough to
	// disable the account: the scan is recorded with a warning.
	FarFix        bool
	Colour        string // the colour decided on; "" for MANUAL
	ForeignIssuer string // as given
}

// DistanceMetres is the great-circle (haversine) distance between two points
// in degrees, on a sphere of the WGS-84 mean radius.
func DistanceMetres(lat1, lng1, lat2, lng2 float64) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := lat1*rad, lat2*rad
	dφ := (lat2 - lat1) * rad
	dλ := (lng2 - lng1) * rad
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	if a > 1 { // rounding near antipodes
		a = 1
	}
	return 2 * EarthRadiusMetres * math.Asin(math.Sqrt(a))
}

// FarFix reports whether a fix at distanceMetres from a site with the given
// radius, whose device reports accuracy metres, deviates far (seed 001 §7
// 较大偏离): beyond the radius plus the accuracy (at most MaxAccuracyMetres)
// plus the margin. Exactly at the limit is still near.
func FarFix(distanceMetres float64, radius int, accuracy, margin float64) bool {
	if radius <= 0 {
		return false
	}
	accuracy = min(max(accuracy, 0), MaxAccuracyMetres)
	return distanceMetres > float64(radius)+accuracy+margin
}

// ValidateInput checks the input alone; the error is an INVALID_INPUT
// *mashang.Error naming the field.
func ValidateInput(in Input) error {
	if !in.Method.Valid() {
		return mashang.FieldErrorf(mashang.EINVALID, "method",
			"method %q is not one of SCAN_CODE, SHOW_CODE, SELF_SCAN, MANUAL", string(in.Method))
	}
	if err := validate.Temperature(in.Temperature); err != nil {
		return mashang.FieldErrorf(mashang.EINVALID, "temperature", "%v", err)
	}
	if in.FeverThreshold != 0 {
		if err := validate.Temperature(in.FeverThreshold); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "feverThreshold", "fever threshold: %v", err)
		}
	}
	if (in.DeviceLat == nil) != (in.DeviceLng == nil) {
		return mashang.FieldErrorf(mashang.EINVALID, "deviceLocation",
			"device location needs both latitude and longitude, or neither")
	}
	if in.DeviceLat != nil {
		if err := validate.Latitude(*in.DeviceLat); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "deviceLocation", "device %v", err)
		}
		if err := validate.Longitude(*in.DeviceLng); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "deviceLocation", "device %v", err)
		}
	}
	if a := in.DeviceAccuracy; a != nil && (*a < 0 || *a > 10000 || math.IsNaN(*a)) {
		return mashang.FieldErrorf(mashang.EINVALID, "accuracy", "the accuracy of the device's fix is given in metres, 0 to 10000")
	}
	if in.RecordedColour != "" {
		if _, err := token.ParseColour(in.RecordedColour); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "recordedColour", "%v", err)
		}
	}
	if in.Method == MethodManual {
		// A person without a code has no colour to give (seed 001 §5); a
		// colour sent anyway is ignored, but a foreign issuer makes no sense.
		if in.ForeignIssuer != "" {
			return mashang.FieldErrorf(mashang.EINVALID, "foreignIssuer",
				"a MANUAL registration has no code, so no issuer: leave foreignIssuer empty, or use the method the code was read with")
		}
		return nil
	}
	if in.PersonColour == "" {
		return mashang.FieldErrorf(mashang.EINVALID, "colour",
			"method %s needs the person's code colour; use MANUAL for people without a code", in.Method)
	}
	if _, err := token.ParseColour(in.PersonColour); err != nil {
		return mashang.FieldErrorf(mashang.EINVALID, "colour", "%v", err)
	}
	return nil
}

func refused(err error) Outcome { return Outcome{Refused: err} }

// Decide decides one scan. Checks, in order, each refusing the scan:
//  1. the scanner account is active (ACCOUNT_DISABLED);
//  2. the input is valid (INVALID_INPUT);
//  3. the site is enabled (SITE_NOT_ENABLED);
//  4. the scanner's own code is green, else refused and disabled
//     CODE_NOT_GREEN (seed 001 §7 上岗前…本人“吉祥码”健康状态为绿色);
//  5. on a geofenced fixed site, the device location is given (INVALID_INPUT
//     deviceLocation, no disabling); a far fix (FarFix) is only marked
//     (Outcome.FarFix) unless, with the account's prior far fixes, it
//     reaches Geofence.Far: then refused and disabled GEOFENCE (seed 001 §7
//     定点扫码…较大偏离).
//
// Otherwise the scan is recorded: PASS iff the colour is GREEN and the
// temperature is below the threshold; MANUAL passes on a normal temperature
// alone (seed 001 §5) unless the person named is on record with a colour
// other than green (RecordedColour: DENY with reason REFER, the colour not
// disclosed). An alert is raised on DENY, fever or a non-green colour.
func Decide(site Site, scanner Scanner, in Input) Outcome {
	if !scanner.Active {
		return refused(mashang.Errorf(mashang.EACCOUNTDISABLED,
			"this scanner account is disabled; ask the superior scanner to activate it"))
	}
	if err := ValidateInput(in); err != nil {
		return refused(err)
	}
	if !site.Enabled {
		return refused(mashang.Errorf(mashang.ESITENOTENABLED,
			"this site is not enabled for scanning (seed 003 附件2 是否启用): ask whoever manages the site to enable it, or record the scan at an enabled site"))
	}
	if c, err := token.ParseColour(scanner.OwnColour); err != nil || c != token.ColourGreen {
		o := refused(mashang.Errorf(mashang.ECODENOTGREEN,
			"your own code is %s, not green: scanners must have a green code on duty; the account is disabled until the superior scanner activates it",
			colourWord(scanner.OwnColour)))
		o.DisableScanner = DisableCodeNotGreen
		return o
	}
	var (
		dist float64
		far  bool
	)
	if site.Geofenced() {
		if in.DeviceLat == nil {
			return refused(mashang.FieldErrorf(mashang.EINVALID, "deviceLocation",
				"this site checks where scans are made (seed 001 §7 定点扫码): turn on the device's location and send it with the scan"))
		}
		dist = DistanceMetres(*site.Latitude, *site.Longitude, *in.DeviceLat, *in.DeviceLng)
		var o Outcome
		var refuse bool
		if far, o, refuse = farFix(site, in, dist); refuse {
			return o
		}
	}

	threshold := in.FeverThreshold
	if threshold == 0 {
		threshold = DefaultFeverThreshold
	}
	o := Outcome{
		Fever:          in.Temperature >= threshold,
		DistanceMetres: dist,
		FarFix:         far,
		ForeignIssuer:  in.ForeignIssuer,
	}
	green := true
	if in.Method != MethodManual {
		c, _ := token.ParseColour(in.PersonColour) // validated above
		o.Colour = c.String()
		green = c == token.ColourGreen
		switch c {
		case token.ColourYellow:
			o.AlertReasons = append(o.AlertReasons, ReasonColourYellow)
		case token.ColourOrange:
			o.AlertReasons = append(o.AlertReasons, ReasonColourOrange)
		case token.ColourRed:
			o.AlertReasons = append(o.AlertReasons, ReasonColourRed)
		}
	}
	if rc, _ := token.ParseColour(in.RecordedColour); in.RecordedColour != "" && rc != token.ColourGreen {
		green = false // validated above; the colour stays undisclosed
		o.AlertReasons = append(o.AlertReasons, ReasonRefer)
	}
	if o.Fever {
		o.AlertReasons = append(o.AlertReasons, ReasonFever)
	}
	if green && !o.Fever {
		o.Decision = Pass
	} else {
		o.Decision = Deny
	}
	o.Alert = o.Decision == Deny || o.Fever || !green
	return o
}

// FarFixAt reports whether in's fix at the site is a far fix (Geofence):
// the caller then counts the account's prior far fixes (PriorFarFixes).
func (s Site) FarFixAt(in Input) bool {
	if !s.Geofenced() || in.DeviceLat == nil || in.DeviceLng == nil {
		return false
	}
	var acc float64
	if in.DeviceAccuracy != nil {
		acc = *in.DeviceAccuracy
	}
	dist := DistanceMetres(*s.Latitude, *s.Longitude, *in.DeviceLat, *in.DeviceLng)
	return FarFix(dist, s.GeofenceRadius, acc, in.Geofence.WithDefaults().MarginMetres)
}

// farFix decides a fix at dist from a geofenced site: far or not, and
// whether, with the account's prior far fixes, it disables the account
// (then o is the refusal).
func farFix(site Site, in Input, dist float64) (far bool, o Outcome, refuse bool) {
	g := in.Geofence.WithDefaults()
	var acc float64
	if in.DeviceAccuracy != nil {
		acc = *in.DeviceAccuracy
	}
	if !FarFix(dist, site.GeofenceRadius, acc, g.MarginMetres) {
		return false, o, false
	}
	if in.PriorFarFixes+1 < g.Far {
		return true, o, false
	}
	accuracy := min(max(acc, 0), MaxAccuracyMetres)
	radius, margin, farFixes, of, minutes := site.GeofenceRadius, g.MarginMetres, in.PriorFarFixes+1, g.Of, int(g.Window/time.Minute)
	o = refused(mashang.Errorf(mashang.EGEOFENCE,
		"scan made %.0f m from the site (fix accuracy %.0f m), beyond its %d m area and the %.0f m margin, and %d of this account's last %d scans within %d minutes were as far: the account is disabled until the superior scanner activates it (seed 001 §7)",
		dist, accuracy, radius, margin, farFixes, of, minutes))
	o.DisableScanner = DisableGeofence
	o.DistanceMetres = dist
	return true, o, true
}

func colourWord(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
