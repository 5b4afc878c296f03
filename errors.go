package mashang

import (
	"errors"
	"fmt"
)

// Error codes, returned to clients as extensions.code.
const (
	ECONFLICT        = "CONFLICT"
	EINTERNAL        = "INTERNAL"
	EINVALID         = "INVALID_INPUT"
	ENOTFOUND        = "NOT_FOUND"
	EFORBIDDEN       = "FORBIDDEN"
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	ETOOCOMPLEX      = "QUERY_TOO_COMPLEX"
	ETOODEEP         = "QUERY_TOO_DEEP"
	ERATELIMITED     = "RATE_LIMITED"
	EACCOUNTDISABLED = "ACCOUNT_DISABLED"
	EQUOTA           = "QUOTA_EXCEEDED"
	EUNAVAILABLE     = "UNAVAILABLE"
)

// Error is an error a person can act on: a code for programs and a message
// for people. Field names the input that was wrong, when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error about one input field.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an error: its own for an *Error in its chain,
// EINTERNAL for anything else.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error in the chain, or a generic
// message that leaks nothing for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
