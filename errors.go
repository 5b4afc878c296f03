package mashang

import (
	"errors"
	"fmt"
)

// Error codes, returned to clients as extensions.code (and as ItemError.code
// for one refused item of a batch). This is the one list: every code a client
// can see is declared here, and schema/errors.graphqls publishes the same list
// as the enum ErrorCode, documented for clients (a test keeps the two equal).
// The values are the wire strings; never change one.
const (
	// EINVALID: an argument is wrong; Error.Field names it.
	EINVALID = "INVALID_INPUT"
	// ENOTFOUND: no such row, or one outside the caller's scope (existence is not revealed).
	ENOTFOUND = "NOT_FOUND"
	// ECONFLICT: the change conflicts with the current state (taken value, wrong status, stale version).
	ECONFLICT = "CONFLICT"
	// EUNAUTHENTICATED: no valid session, wrong credentials or an invalid personToken.
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	// EFORBIDDEN: the caller's role, scope or grants do not allow this.
	EFORBIDDEN = "FORBIDDEN"
	// EACCOUNTDISABLED: the acting account is disabled; only reactivation is open to it.
	EACCOUNTDISABLED = "ACCOUNT_DISABLED"
	// ERATELIMITED: too many attempts from this caller or address; retry later.
	ERATELIMITED = "RATE_LIMITED"
	// EQUOTA: a unit or site already holds as many accounts of the role as allowed.
	EQUOTA = "QUOTA_EXCEEDED"
	// EUNAVAILABLE: the feature is not configured on this deployment.
	EUNAVAILABLE = "UNAVAILABLE"
	// EINTERNAL: anything unexpected; logged, and shown only as "internal error".
	EINTERNAL = "INTERNAL"

	// ETOOCOMPLEX: the operation's cost is above the server's limit.
	ETOOCOMPLEX = "QUERY_TOO_COMPLEX"
	// ETOODEEP: the operation nests deeper than the server's limit.
	ETOODEEP = "QUERY_TOO_DEEP"
	// EGRAPHQLPARSE: the document is not valid GraphQL (set by gqlgen's errcode.ParseFailed).
	EGRAPHQLPARSE = "GRAPHQL_PARSE_FAILED"
	// EGRAPHQLVALIDATION: the document does not fit the schema (set by gqlgen's errcode.ValidationFailed).
	EGRAPHQLVALIDATION = "GRAPHQL_VALIDATION_FAILED"
	// EPERSISTEDQUERYNOTFOUND: no approved trusted document has the id a client called (graph/trusted.go).
	EPERSISTEDQUERYNOTFOUND = "PERSISTED_QUERY_NOT_FOUND"
	// EINVALIDPAGINATION: a negative first or last on a nested connection (set by ent's generated code).
	EINVALIDPAGINATION = "INVALID_PAGINATION"
	// EBATCHNOTSUPPORTED: the request body is a JSON array of operations; send one operation per request.
	EBATCHNOTSUPPORTED = "BATCH_NOT_SUPPORTED"
	// EPAYLOADTOOLARGE: the request body is larger than the server accepts (HTTP 413).
	EPAYLOADTOOLARGE = "PAYLOAD_TOO_LARGE"
	// EOVERLOADED: the server is at its limit of requests in flight for the
	// request's class (HTTP 503 with Retry-After); nothing was done, retry later.
	EOVERLOADED = "OVERLOADED"

	// ETOKENMALFORMED: the scanned health code is not a readable code.
	ETOKENMALFORMED = "TOKEN_MALFORMED"
	// ETOKENFORGED: the code's signature does not verify.
	ETOKENFORGED = "TOKEN_FORGED"
	// ETOKENEXPIRED: the code is past its validity (a screenshot or an old code).
	ETOKENEXPIRED = "TOKEN_EXPIRED"
	// ETOKENUNKNOWNISSUER: the code's issuer or key is not trusted by this deployment.
	ETOKENUNKNOWNISSUER = "TOKEN_UNKNOWN_ISSUER"
	// ETOKENNOTYETVALID: the code is dated in the future (a clock too far ahead).
	ETOKENNOTYETVALID = "TOKEN_NOT_YET_VALID"
	// ETOKENWRONGKIND: a site code where a person's code belongs, or the reverse.
	ETOKENWRONGKIND = "TOKEN_WRONG_KIND"

	// ESITENOTENABLED: the site is not enabled for scanning (seed 003 附件2 是否启用).
	ESITENOTENABLED = "SITE_NOT_ENABLED"
	// ECODENOTGREEN: the scanner's own code is not green; the account is disabled (seed 001 §7).
	ECODENOTGREEN = "CODE_NOT_GREEN"
	// EGEOFENCE: the scanner is far outside the site's geofence; the account is disabled (seed 001 §7).
	EGEOFENCE = "GEOFENCE"
	// ESCANNERNOCODE: the scanner's holder has no registered code, so the on-duty rule cannot be checked.
	ESCANNERNOCODE = "SCANNER_NO_CODE"
)

// Error is an error a person can act on: a code for programs and a message
// for people. Field names the input that was wrong, when there is one.
//
// Message is the English text (for logs and Go callers). Format and Args
// are what made it: the presenter looks Format up in the message catalogs
// (package i18n) and renders the message in the caller's language, so the
// format must be a string literal (a test finds every one and wants a
// zh-CN translation). An Args value may be a time.Time (shown in China
// time) or another *Error (shown translated).
type Error struct {
	Code    string
	Message string
	Field   string
	Format  string
	Args    []any
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// FieldErrorf returns an *Error about one input field.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
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

// Wrap names the operation that failed on an internal error (one from the
// database, the file system, another package), so the log says where it
// happened: Wrap(err, "audit.Seal") reads "audit.Seal: <err>". The chain is
// kept (errors.Is, errors.As and ent.IsNotFound still see the cause).
//
// An error that carries an *Error is returned as it is: its code, message
// and field are meant for the client, and the operation is not. Wrap(nil, op)
// is nil, so `return mashang.Wrap(err, op)` may end any function.
func Wrap(err error, op string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &opError{op: op, err: err}
}

// opError is an internal error with the operation that met it.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }
