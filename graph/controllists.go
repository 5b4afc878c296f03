package graph

import (
	"encoding/base64"
	"io"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// readUpload reads an uploaded control list, or its base64 bytes.
func readUpload(file *graphql.Upload, filename, b64 *string, max int) (string, []byte, error) {
	switch {
	case file != nil:
		b, err := io.ReadAll(io.LimitReader(file.File, int64(max)+1))
		if err != nil {
			return "", nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The upload could not be read: send it again.")
		}
		name := file.Filename
		if filename != nil && *filename != "" {
			name = *filename
		}
		return name, b, nil
	case b64 != nil:
		if filename == nil || *filename == "" {
			return "", nil, mashang.FieldErrorf(mashang.EINVALID, "filename", "Give the file name (….csv or ….xlsx) with contentBase64.")
		}
		b, err := base64.StdEncoding.DecodeString(*b64)
		if err != nil {
			return "", nil, mashang.FieldErrorf(mashang.EINVALID, "contentBase64", "contentBase64 is not valid base64.")
		}
		return *filename, b, nil
	}
	return "", nil, mashang.FieldErrorf(mashang.EINVALID, "file", "Send the control list as file (an Upload) or as contentBase64 with filename.")
}

// newestImportsFirst is the order of the controlListImports connection.
var newestImportsFirst = &ent.ControlListImportOrder{Direction: entgql.OrderDirectionDesc, Field: ent.DefaultControlListImportOrder.Field}
