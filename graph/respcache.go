package graph

import (
	"container/list"
	"context"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/revision"
)

// treeCache answers queries that read only the public jurisdiction tree
// (regions, their counts, site categories) from memory. The tree changes
// rarely (an import, a site written) while tree views are read constantly;
// every entry is keyed by the tree revision, which every region write bumps
// in its own transaction (package revision), so an answer is never served
// after its data changed, on any replica. Anything else — sites, units,
// accounts, node(id) — is never cached, so the cache cannot leak a row
// across viewers: the tree is the same for every viewer.
type treeCache struct {
	client   *ent.Client
	entries  *byteLRU
	maxEntry int
	mu       sync.Mutex
	verdicts map[string]bool // query text → cacheable
}

func newTreeCache(client *ent.Client, budget int) *treeCache {
	return &treeCache{client: client, entries: newByteLRU(budget), maxEntry: budget / 8, verdicts: map[string]bool{}}
}

func (*treeCache) ExtensionName() string                   { return "TreeCache" }
func (*treeCache) Validate(graphql.ExecutableSchema) error { return nil }

func (c *treeCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if v := mashang.ViewerFromContext(ctx); v != nil && v.Disabled {
		return next(ctx) // guardRootField answers; the cache must not bypass it
	}
	if oc.Operation == nil || oc.Operation.Operation != ast.Query || !c.cacheable(oc) {
		return next(ctx)
	}
	// The revision is read before the data: an entry can only be stored
	// under a revision older than or equal to the data it holds. The system
	// reads the counter; it is no caller's data.
	rev, err := revision.Get(authz.AsSystem(ctx), c.client, revision.Tree)
	if err != nil {
		return next(ctx)
	}
	vars, err := json.Marshal(oc.Variables) // map keys come out sorted
	if err != nil {
		return next(ctx)
	}
	key := strconv.FormatInt(rev, 10) + "\x00" + oc.OperationName + "\x00" + oc.RawQuery + "\x00" + string(vars)
	if data, ok := c.entries.get(key); ok {
		return graphql.OneShot(&graphql.Response{Data: data, Extensions: cachedCost(oc)})
	}
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp != nil && len(resp.Errors) == 0 && len(resp.Data) > 0 && len(resp.Data) <= c.maxEntry {
			c.entries.add(key, append(json.RawMessage(nil), resp.Data...))
		}
		return resp
	}
}

// cacheable tells whether the operation selects only public tree fields.
func (c *treeCache) cacheable(oc *graphql.OperationContext) bool {
	id := oc.OperationName + "\x00" + oc.RawQuery
	c.mu.Lock()
	v, ok := c.verdicts[id]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = onlyTreeFields(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{})
	c.mu.Lock()
	if len(c.verdicts) > 10000 {
		c.verdicts = map[string]bool{} // bounded: client-chosen query texts
	}
	c.verdicts[id] = v
	c.mu.Unlock()
	return v
}

// treeFields are the fields whose answers depend on the tree only.
var treeFields = map[string]bool{
	"Query.regions": true, "Query.regionByCode": true, "Query.siteCategories": true,
	"RegionConnection.edges": true, "RegionConnection.pageInfo": true, "RegionConnection.totalCount": true,
	"RegionEdge.node": true, "RegionEdge.cursor": true,
	"PageInfo.hasNextPage": true, "PageInfo.hasPreviousPage": true, "PageInfo.startCursor": true, "PageInfo.endCursor": true,
	"SiteCategoryInfo.category": true, "SiteCategoryInfo.name": true, "SiteCategoryInfo.policy": true,
	"SiteCategoryInfo.isVehicle": true, "SiteCategoryInfo.source": true,
	"Region.id": true, "Region.createdAt": true, "Region.updatedAt": true, "Region.code": true, "Region.name": true,
	"Region.level": true, "Region.path": true, "Region.population": true, "Region.registrationTarget": true,
	"Region.childCount": true, "Region.siteCount": true, "Region.parent": true, "Region.children": true, "Region.ancestors": true,
}

func onlyTreeFields(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			if s.ObjectDefinition == nil || !treeFields[s.ObjectDefinition.Name+"."+s.Name] {
				return false
			}
			if !onlyTreeFields(s.SelectionSet, frags, seen) {
				return false
			}
		case *ast.InlineFragment:
			if !onlyTreeFields(s.SelectionSet, frags, seen) {
				return false
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			f := frags.ForName(s.Name)
			if f == nil {
				return false
			}
			seen[s.Name] = true
			if !onlyTreeFields(f.SelectionSet, frags, seen) {
				return false
			}
		}
	}
	return true
}

// byteLRU is a least-recently-used map bounded by the bytes it holds.
type byteLRU struct {
	mu     sync.Mutex
	budget int
	used   int
	order  *list.List
	items  map[string]*list.Element
}

type lruEntry struct {
	key  string
	data json.RawMessage
}

func newByteLRU(budget int) *byteLRU {
	return &byteLRU{budget: budget, order: list.New(), items: map[string]*list.Element{}}
}

func (l *byteLRU) get(key string) (json.RawMessage, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.items[key]
	if !ok {
		return nil, false
	}
	l.order.MoveToFront(e)
	return e.Value.(*lruEntry).data, true
}

func (l *byteLRU) add(key string, data json.RawMessage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		l.used -= len(e.Value.(*lruEntry).data)
		e.Value.(*lruEntry).data = data
		l.used += len(data)
		l.order.MoveToFront(e)
	} else {
		l.items[key] = l.order.PushFront(&lruEntry{key: key, data: data})
		l.used += len(key) + len(data)
	}
	for l.used > l.budget && l.order.Len() > 0 {
		last := l.order.Back()
		ent := last.Value.(*lruEntry)
		l.order.Remove(last)
		delete(l.items, ent.key)
		l.used -= len(ent.key) + len(ent.data)
	}
}
