package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/i18n"
)

// withBodyCap caps a request body: a JSON (or any other) body at jsonMax, a
// multipart upload (graphql-multipart-request-spec) at uploadMax, so the
// documented 10 MiB control list fits while a JSON document stays small.
// Either over its cap is refused with 413 INVALID_INPUT: at once when the
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
			writeError(r.Context(), w, http.StatusRequestEntityTooLarge, mashang.Errorf(mashang.EINVALID,
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
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// refuseBatches answers a JSON array of operations (a batched request) with
// 400 BATCH_NOT_SUPPORTED: gqlgen runs one operation per request and would
// otherwise fail to decode it as an internal error. It looks only at the
// first non-blank byte and leaves the body intact for the next handler.
func refuseBatches(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || mediaType(r) != "application/json" {
			next.ServeHTTP(w, r)
			return
		}
		br := bufio.NewReader(r.Body)
		r.Body = struct {
			io.Reader
			io.Closer
		}{br, r.Body}
		if firstByte(br) == '[' {
			writeError(r.Context(), w, http.StatusBadRequest, mashang.Errorf(mashang.EBATCHNOTSUPPORTED,
				"Batched requests (a JSON array of operations) are not supported: send one operation per request."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// firstByte peeks past JSON whitespace and returns the first other byte (0
// at the end or on a read error) without consuming anything.
func firstByte(br *bufio.Reader) byte {
	for n := 1; n <= br.Size(); n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n':
		default:
			return c
		}
		if err != nil {
			return 0
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
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	l := i18n.Localize(i18n.FromContext(ctx), err)
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message":    l.Message,
		"extensions": map[string]any{"code": mashang.ErrorCode(err), "messageKey": l.Key, "params": l.Params},
	}}})
	_, _ = w.Write(body)
}
