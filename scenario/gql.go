package scenario

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// MarshalGQL writes the category as a GraphQL enum value.
func (c Category) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(c))) }

// UnmarshalGQL reads a GraphQL enum value.
func (c *Category) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(Category("").Values(), s) {
		return fmt.Errorf("%v is not a site category; see the query siteCategories for the list", v)
	}
	*c = Category(s)
	return nil
}

// MarshalGQL writes the sector as a GraphQL enum value.
func (s Sector) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads a GraphQL enum value.
func (s *Sector) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok || !slices.Contains(Sector("").Values(), str) {
		return fmt.Errorf("%v is not a sector", v)
	}
	*s = Sector(str)
	return nil
}

// MarshalGQL writes the policy as a GraphQL enum value.
func (p Policy) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(p))) }

// UnmarshalGQL reads a GraphQL enum value.
func (p *Policy) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || (s != string(Mandatory) && s != string(Encouraged)) {
		return fmt.Errorf("%v is not a verification policy (MANDATORY or ENCOURAGED)", v)
	}
	*p = Policy(s)
	return nil
}

// MarshalGQL writes the colour as a GraphQL enum value.
func (c Colour) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(c))) }

// UnmarshalGQL reads a GraphQL enum value.
func (c *Colour) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(Colour("").Values(), s) {
		return fmt.Errorf("%v is not a colour", v)
	}
	*c = Colour(s)
	return nil
}
