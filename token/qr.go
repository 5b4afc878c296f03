package token

import (
	"fmt"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/mashang/mashang"
)

// QRLevel is the error-correction level of rendered codes (~15% recovery:
// a scuffed phone screen or poster still scans).
const QRLevel = qrcode.Medium

// PNG renders tok as a size×size-pixel PNG QR code (size ≥ 21 recommended;
// negative sizes are go-qrcode's "pixels per module").
func PNG(tok string, size int) ([]byte, error) {
	if tok == "" {
		return nil, fmt.Errorf("token: nothing to encode")
	}
	if size == 0 {
		return nil, fmt.Errorf("token: QR size must not be 0")
	}
	return qrcode.Encode(tok, QRLevel, size)
}

// SVG renders tok as a standalone SVG QR code: one unit square per dark
// module in a single <path>, on a white background, scaled by the viewBox.
func SVG(tok string) (string, error) {
	if tok == "" {
		return "", fmt.Errorf("token: nothing to encode")
	}
	q, err := qrcode.New(tok, QRLevel)
	if err != nil {
		return "", mashang.Wrap(err, "token.SVG")
	}
	bm := q.Bitmap() // includes the quiet-zone border
	n := strconv.Itoa(len(bm))
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n + `" width="` + n + `" height="` + n + `" shape-rendering="crispEdges">`)
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				b.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + "h1v1h-1z")
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
