package authz_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang/authz"
)

// Every classification is well formed, and every Policy one names an
// object and action that policy.csv grants to some role (a typo such as
// "sites"/"create" would otherwise refuse everyone, silently).
// graph/classify_test.go checks the field names against the schema.
func TestRootFieldClassifications(t *testing.T) {
	e := authz.MustEnforcer()
	perms := e.Permissions(authz.PolicyRoles...)
	for name, c := range authz.RootFields {
		if !strings.HasPrefix(name, "Query.") && !strings.HasPrefix(name, "Mutation.") && !strings.HasPrefix(name, "Subscription.") {
			t.Errorf("%s: keys are Query.<field>, Mutation.<field> or Subscription.<field>", name)
		}
		switch c.Access {
		case authz.Public, authz.Authenticated:
			if c.Object != "" || c.Action != "" {
				t.Errorf("%s is %s but names the policy object %q, action %q: make it Policy or drop them", name, c.Access, c.Object, c.Action)
			}
		case authz.Policy:
			if c.Object == "" || c.Action == "" {
				t.Errorf("%s is Policy without an object and action", name)
				continue
			}
			if !slices.ContainsFunc(perms, c.Matches) {
				t.Errorf("%s checks %s %s, which no line of policy.csv grants to any role", name, c.Object, c.Action)
			}
		default:
			t.Errorf("%s has no access class (%q)", name, c.Access)
		}
	}
}

// PolicyRoles names every role of policy.csv, so the checks above see every line.
func TestPolicyRolesCoverPolicy(t *testing.T) {
	raw, err := os.ReadFile("policy.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, ",")
		if len(cols) < 2 {
			t.Errorf("policy line %q has no role", line)
			continue
		}
		if role := strings.TrimSpace(cols[1]); !slices.Contains(authz.PolicyRoles, role) {
			t.Errorf("policy.csv names the role %s, missing from authz.PolicyRoles", role)
		}
	}
}

func TestClassificationMatches(t *testing.T) {
	cases := []struct {
		c    authz.Classification
		p    authz.Permission
		want bool
	}{
		{authz.Classification{Access: authz.Policy, Object: "site", Action: "create"}, authz.Permission{Object: "site", Action: "create"}, true},
		{authz.Classification{Access: authz.Policy, Object: "site", Action: "create"}, authz.Permission{Object: "site", Action: "update"}, false},
		{authz.Classification{Access: authz.Policy, Object: "account:*", Action: "create"}, authz.Permission{Object: "account:ORDINARY", Action: "create"}, true},
		{authz.Classification{Access: authz.Policy, Object: "account:*", Action: "create"}, authz.Permission{Object: "account", Action: "create"}, false},
		{authz.Classification{Access: authz.Policy, Object: "account", Action: "disable"}, authz.Permission{Object: "account:SENIOR", Action: "disable"}, false},
	}
	for _, c := range cases {
		if got := c.c.Matches(c.p); got != c.want {
			t.Errorf("%+v.Matches(%+v) = %v, want %v", c.c, c.p, got, c.want)
		}
	}
}
