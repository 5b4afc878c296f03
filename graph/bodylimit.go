package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/mashang/mashang"
)

// limitedPOST is gqlgen's POST transport answering a body over the
// server's cap (http.MaxBytesHandler) with 413 and INVALID_INPUT; gqlgen
// itself would answer 200 with "could not read request body".
type limitedPOST struct{ transport.POST }

func (t limitedPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
			"message":    fmt.Sprintf("The request body is larger than %d bytes.", tooLarge.Limit),
			"extensions": map[string]any{"code": mashang.EINVALID},
		}}})
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}
