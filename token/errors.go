package token

import "github.com/mashang/mashang"

// malformed returns a TOKEN_MALFORMED refusal that tells the scanner what to do.
func malformed(format string, args ...any) *mashang.Error {
	return mashang.Errorf(mashang.ETOKENMALFORMED,
		"this is not a readable health code (%v); ask the holder to show the code again or refresh it",
		mashang.Errorf(mashang.ETOKENMALFORMED, format, args...))
}
