package accounts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/scenario"
)

// DefaultCategoryQuotas is the most accounts of a role that one site of a
// category may have when the province configures nothing else (issue 11,
// point 14). It follows seed 001 §9 line by line; categories and roles it
// does not name are unlimited, because the seed leaves their number to the
// town or street (配备相应类型和数量的扫码员):
//
//   - 各级政务大厅的办事分厅可设中级扫码员1名 and 规模较大的便民服务中心可设中级扫码员1名:
//     GOVERNMENT_SERVICE_HALL (halls, their branches and service centres) → INTERMEDIATE 1;
//   - 车站（含火车、长途客运）可设中级扫码员1名: TRANSPORT_HUB → INTERMEDIATE 1;
//   - 村（社区）…配备相应数量的中级扫码员: COMMUNITY is not capped.
//
// The province changes it with MASHANG_CATEGORY_QUOTAS
// (ParseCategoryQuotas); MASHANG_SITE_QUOTAS (Quotas.PerSite) still
// overrides it for every site.
var DefaultCategoryQuotas = map[scenario.Category]map[string]int{
	scenario.GovernmentServiceHall: {mashang.RoleIntermediate: 1},
	scenario.TransportHub:          {mashang.RoleIntermediate: 1},
}

// siteLimit is the most accounts of role a site of category may have: the
// province-wide PerSite when it names the role, else the category's cap
// (PerCategory, or DefaultCategoryQuotas when nil). 0 means unlimited.
func (q Quotas) siteLimit(category scenario.Category, role string) int {
	if n, ok := q.PerSite[role]; ok {
		return n
	}
	table := q.PerCategory
	if table == nil {
		table = DefaultCategoryQuotas
	}
	return table[category][role]
}

// ParseCategoryQuotas reads the province's table of per-category caps,
// "TRANSPORT_HUB:INTERMEDIATE=1;GOVERNMENT_SERVICE_HALL:INTERMEDIATE=1,ORDINARY=30".
// It starts from DefaultCategoryQuotas: a category named replaces the
// default's row, "CATEGORY:" alone removes it (unlimited), and "-" alone
// empties the whole table. An empty spec returns the default.
func ParseCategoryQuotas(spec string) (map[scenario.Category]map[string]int, error) {
	out := map[scenario.Category]map[string]int{}
	for c, row := range DefaultCategoryQuotas {
		out[c] = maps(row)
	}
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if part == "-" {
			clear(out)
			continue
		}
		cat, roles, ok := strings.Cut(part, ":")
		c := scenario.Category(strings.ToUpper(strings.TrimSpace(cat)))
		if _, known := c.Info(); !ok || !known {
			return nil, fmt.Errorf("category quota %q: write CATEGORY:ROLE=N,ROLE=N with a category of siteCategories, e.g. TRANSPORT_HUB:INTERMEDIATE=1", part)
		}
		row := map[string]int{}
		for _, rn := range strings.Split(roles, ",") {
			if rn = strings.TrimSpace(rn); rn == "" {
				continue
			}
			role, n, ok := strings.Cut(rn, "=")
			role = strings.ToUpper(strings.TrimSpace(role))
			var limit int
			if _, err := fmt.Sscanf(strings.TrimSpace(n), "%d", &limit); !ok || err != nil || limit < 0 {
				return nil, fmt.Errorf("category quota %q: write ROLE=N with N ≥ 0, e.g. INTERMEDIATE=1", part)
			}
			if !slices.Contains(scannerRoles, role) {
				return nil, fmt.Errorf("category quota %q: unknown role %s; use SENIOR, INTERMEDIATE or ORDINARY", part, role)
			}
			row[role] = limit
		}
		out[c] = row
	}
	return out, nil
}

func maps(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
