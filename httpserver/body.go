package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/i18n"
)

// withBodyCap caps a request body: a JSON (or any other) body at jsonMax, a
// multipart upload (graphql-multipart-request-spec) at uploadMax, so the
// documented 10 MiB control list fits while a JSON document stays small.
// Either over its cap is refused with 413 PAYLOAD_TOO_LARGE: at once when the
// length is announced, and otherwise as soon as the reading passes the cap
// (a JSON body is read here, whole; gqlgen would answer such a body 200
// "could not read request body"). An upload streams on to the multipart
// transport, which stops at the same cap.
func withBodyCap(jsonMax, uploadMax int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := jsonMax
		upload := mediaType(r) == "multipart/form-data"
		if upload {
			max = uploadMax
		}
		tooLarge := func() {
			writeError(r.Context(), w, http.StatusRequestEntityTooLarge, mashang.Errorf(mashang.EPAYLOADTOOLARGE,
				"The request body is larger than %d bytes.", max))
		}
		if r.ContentLength > max {
			tooLarge()
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		if !upload {
			body, err := io.ReadAll(r.Body)
			var over *http.MaxBytesError
			if errors.As(err, &over) {
				tooLarge()
				return
			}
			if err != nil {
				writeError(r.Context(), w, http.StatusBadRequest, mashang.Errorf(mashang.EINVALID,
					"The request body could not be read: send it again."))
				return
			}
			r.Body = newMemBody(body)
		}
		next.ServeHTTP(w, r)
	})
}

// memBody is a request body held in memory (withBodyCap read it whole):
// the handlers after it take its bytes (Bytes) instead of reading a copy
// each (a batch of 500 scans is 200 kB).
type memBody struct {
	*bytes.Reader
	b []byte
}

func newMemBody(b []byte) io.ReadCloser { return memBody{Reader: bytes.NewReader(b), b: b} }

func (memBody) Close() error { return nil }

// Bytes returns the part of the body not read yet, without copying it.
func (m memBody) Bytes() []byte { return m.b[len(m.b)-m.Len():] }

// readBody returns the request's body, leaving it to be read again.
func readBody(r *http.Request) ([]byte, error) {
	if m, ok := r.Body.(interface{ Bytes() []byte }); ok {
		return m.Bytes(), nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = newMemBody(body)
	return body, err
}

// checkJSONBody looks at a JSON POST body before gqlgen does, so that a
// bad body gets a clear code and is never echoed: gqlgen's POST transport
// answers a body it cannot decode with an error whose text holds the whole
// body (IDs, phones, a login's password), which the error presenter would
// log (issue 10 #1). It answers
//   - a JSON array of operations (a batch) with 400 BATCH_NOT_SUPPORTED:
//     gqlgen runs one operation per request;
//   - a body that is not JSON (a trailing comma, NaN or Infinity, which JSON
//     does not have) or not one object with 400 INVALID_INPUT, naming only
//     the byte offset of the fault.
//
// The body is in memory already (withBodyCap read it, capped).
func checkJSONBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || mediaType(r) != "application/json" {
			next.ServeHTTP(w, r)
			return
		}
		body, err := readBody(r)
		if err != nil {
			writeError(r.Context(), w, http.StatusBadRequest, mashang.Errorf(mashang.EINVALID,
				"The request body could not be read: send it again."))
			return
		}
		obj, refusal := jsonBodyRefusal(body)
		if refusal != nil {
			writeErrorAs(r.Context(), w, acceptedMedia(r), http.StatusBadRequest, refusal)
			return
		}
		// Admission's classification reads the members from here instead
		// of decoding the body again (a batch of 500 scans is 200 kB).
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), bodyMembersKey{}, obj)))
	})
}

// bodyMembersKey keys the top-level members of a checked JSON body in a
// request's context.
type bodyMembersKey struct{}

// bodyMembers are the top-level members of the request's JSON body, once
// checkJSONBody has checked it; nil before.
func bodyMembers(r *http.Request) map[string]json.RawMessage {
	obj, _ := r.Context().Value(bodyMembersKey{}).(map[string]json.RawMessage)
	return obj
}

// jsonBodyRefusal tells why body is not one GraphQL-over-HTTP request
// object (nil when it is one) and returns its top-level members. Its
// message never quotes the body.
func jsonBodyRefusal(body []byte) (map[string]json.RawMessage, error) {
	if first := firstByte(body); first == '[' {
		return nil, mashang.Errorf(mashang.EBATCHNOTSUPPORTED,
			"Batched requests (a JSON array of operations) are not supported: send one operation per request.")
	}
	var obj map[string]json.RawMessage
	var err error
	if json.Valid(body) {
		// One scan and no copy of the members (a batch of 500 scans is
		// 200 kB of variables); the walk cannot fail on valid JSON but for
		// a body that is not an object, which Unmarshal refuses below too.
		var ok bool
		if obj, ok = members(body); !ok {
			err = json.Unmarshal(body, &obj)
		}
	} else {
		err = json.Unmarshal(body, &obj)
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return nil, mashang.Errorf(mashang.EINVALID,
			"The request body is not valid JSON (error at byte %d): send one JSON object; NaN and Infinity are not JSON numbers.", syntax.Offset)
	}
	// gqlgen decodes these members into a string or an object: any other
	// JSON type is a decoding error whose text holds the body.
	want := map[string]byte{"query": '"', "operationName": '"', "variables": '{', "extensions": '{'}
	if err == nil && obj != nil {
		for key, v := range obj {
			for name, kind := range want { // encoding/json matches names case-insensitively
				if strings.EqualFold(key, name) && firstByte(v) != kind && string(v) != "null" {
					err = errors.New("wrong member type")
				}
			}
		}
	}
	if err != nil || obj == nil {
		return nil, mashang.Errorf(mashang.EINVALID,
			`The request body must be one JSON object with "query" (a string) and, optionally, "variables" (an object) and "operationName" (a string).`)
	}
	return obj, nil
}

// members returns the members of the JSON object body (valid JSON), as
// json.Unmarshal into a map of json.RawMessage would (names unescaped, the
// later of two equal names kept), their values slices of body; false when
// body is not an object.
func members(body []byte) (map[string]json.RawMessage, bool) {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil, false
	}
	obj := map[string]json.RawMessage{}
	for i = skipSpace(body, i+1); i < len(body) && body[i] == '"'; {
		end := valueEnd(body, i)
		var name string
		if json.Unmarshal(body[i:end], &name) != nil {
			return nil, false
		}
		i = skipSpace(body, skipSpace(body, end)+1) // past the colon
		end = valueEnd(body, i)
		obj[name] = body[i:end:end]
		if i = skipSpace(body, end); i < len(body) && body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	return obj, true
}

// skipSpace returns the index of the first byte of b from i on that is not
// JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value starting at b[i] (b
// valid JSON).
func valueEnd(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
			continue
		case '}', ']':
			if depth == 0 { // the end of the object holding a number, true, false or null
				return i
			}
			depth--
		case ',', ' ', '\t', '\r', '\n', ':':
			if depth == 0 {
				return i
			}
			continue
		default:
			continue
		}
		if depth == 0 {
			return i + 1
		}
	}
	return i
}

// firstByte returns the first byte of b that is not JSON whitespace (0 when
// there is none).
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			return c
		}
	}
	return 0
}

func mediaType(r *http.Request) string {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt
}

// writeError answers with a GraphQL error body of one error, its code and
// its message in the request's language.
func writeError(ctx context.Context, w http.ResponseWriter, status int, err error) {
	writeErrorAs(ctx, w, mediaJSON, status, err)
}

// writeErrorAs is writeError with the response's media type.
func writeErrorAs(ctx context.Context, w http.ResponseWriter, media string, status int, err error) {
	w.Header().Set("Content-Type", media)
	w.WriteHeader(status)
	l := i18n.Localize(i18n.FromContext(ctx), err)
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message":    l.Message,
		"extensions": map[string]any{"code": mashang.ErrorCode(err), "messageKey": l.Key, "params": l.Params},
	}}})
	_, _ = w.Write(body)
}

// acceptedMedia is the media type of an answer to r under GraphQL over
// HTTP: application/graphql-response+json when the Accept header names it
// before application/json, application/json otherwise.
func acceptedMedia(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		switch mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part)); mt {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		case mediaJSON:
			return mediaJSON
		}
	}
	return mediaJSON
}
