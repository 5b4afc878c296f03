package token

import "github.com/mashang/mashang"

// Error codes of a refused token, returned as *mashang.Error codes.
const (
	ETOKENMALFORMED     = "TOKEN_MALFORMED"
	ETOKENFORGED        = "TOKEN_FORGED"
	ETOKENEXPIRED       = "TOKEN_EXPIRED"
	ETOKENUNKNOWNISSUER = "TOKEN_UNKNOWN_ISSUER"
	ETOKENNOTYETVALID   = "TOKEN_NOT_YET_VALID"
)

func malformed(format string, args ...any) *mashang.Error {
	return mashang.Errorf(ETOKENMALFORMED,
		"this is not a readable health code ("+format+"); ask the holder to show the code again or refresh it", args...)
}
