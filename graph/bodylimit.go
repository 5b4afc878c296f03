package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/i18n"
)

// limitedPOST is gqlgen's POST transport answering a body over the
// server's cap (http.MaxBytesHandler) with 413 and INVALID_INPUT; gqlgen
// itself would answer 200 with "could not read request body".
type limitedPOST struct{ transport.POST }

func (t limitedPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		e := mashang.Errorf(mashang.EINVALID, "The request body is larger than %d bytes.", tooLarge.Limit)
		l := i18n.Localize(i18n.FromContext(r.Context()), e)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
			"message":    l.Message,
			"extensions": map[string]any{"code": e.Code, "messageKey": l.Key, "params": l.Params},
		}}})
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}
