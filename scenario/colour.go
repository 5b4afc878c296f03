package scenario

// Colour is a health code's colour (seed 001 §4: 绿 / 黄 / 橙 / 红), one
// type for a person's colour, the colour read at a scan, an alert's and a
// colour change's, so the API has one enum Colour (issue 9, point 7).
type Colour string

// The colours, mildest first.
const (
	ColourGreen  Colour = "GREEN"
	ColourYellow Colour = "YELLOW"
	ColourOrange Colour = "ORANGE"
	ColourRed    Colour = "RED"
)

// Values lists the colours (ent's EnumValues).
func (Colour) Values() []string {
	return []string{string(ColourGreen), string(ColourYellow), string(ColourOrange), string(ColourRed)}
}

// String returns the colour's name.
func (c Colour) String() string { return string(c) }
