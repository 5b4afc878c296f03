// The jurisdiction tree, loaded a level at a time (665,276 regions in
// production): a region's children and its top-level sites, a site's
// sub-sites, 100 at a time with a "load more" entry. Used by /tree and,
// as a picker, by the site page's move dialog.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useState, type Key } from 'react';
import { Button, Tag, Tree, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { graphql } from '../../gql';
import { enumLabel } from '../../i18n';
import './locale';

const RootRegionsDocument = graphql(`
  query TreeRoots {
    regions(first: 100, where: { level: PROVINCE }, orderBy: [{ field: CODE }]) {
      edges {
        node {
          ...TreeRegion
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

graphql(`
  fragment TreeRegion on Region {
    id
    code
    name
    level
    childCount
    siteCount
  }
`);

graphql(`
  fragment TreeSite on Site {
    id
    name
    category
    enabled
    children {
      totalCount
    }
  }
`);

const RegionChildrenDocument = graphql(`
  query TreeRegionChildren($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Region {
        id
        children(first: 100, after: $after, orderBy: [{ field: CODE }]) {
          edges {
            node {
              ...TreeRegion
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const RegionSitesDocument = graphql(`
  query TreeRegionSites($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Region {
        id
        sites(first: 100, after: $after, orderBy: [{ field: NAME }]) {
          edges {
            node {
              ...TreeSite
              parent {
                id
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const SiteChildrenDocument = graphql(`
  query TreeSiteChildren($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Site {
        id
        children(first: 100, after: $after, orderBy: [{ field: NAME }]) {
          edges {
            node {
              ...TreeSite
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

export type TreeItem =
  | { kind: 'region'; key: string; id: string; code: string; name: string; level: string; childCount: number; siteCount: number }
  | { kind: 'site'; key: string; id: string; name: string; category: string; enabled: boolean; childCount: number }
  | { kind: 'more'; key: string; parent: string; what: 'regions' | 'sites'; after: string };

export const regionKey = (id: string) => `r:${id}`;
export const siteKey = (id: string) => `s:${id}`;

interface Region {
  id: string;
  code: string;
  name: string;
  level: string;
  childCount: number;
  siteCount: number;
}
interface Site {
  id: string;
  name: string;
  category: string;
  enabled: boolean;
  children: { totalCount: number };
}
const fromRegion = (r: Region): TreeItem => ({ kind: 'region', key: regionKey(r.id), ...r });
const fromSite = (s: Site): TreeItem => ({
  kind: 'site',
  key: siteKey(s.id),
  id: s.id,
  name: s.name,
  category: s.category,
  enabled: s.enabled,
  childCount: s.children.totalCount,
});

export interface TreeHandle {
  /** Load the children of these nodes, one after another (a deep link's ancestors). */
  expandPath(keys: string[]): Promise<void>;
  /** Forget a node's loaded children (after a site was created or moved below it). */
  reload(key: string): Promise<void>;
}

interface Props {
  selected?: string;
  onSelect(item: TreeItem): void;
  /** Which nodes may be chosen (the move picker allows regions and other sites). */
  selectable?: (item: TreeItem) => boolean;
  height?: number;
}

const JurisdictionTree = forwardRef<TreeHandle, Props>(function JurisdictionTree({ selected, onSelect, selectable, height }, ref) {
  const { t } = useTranslation();
  const client = useClient();
  const [roots, setRoots] = useState<TreeItem[]>([]);
  const [kids, setKids] = useState<Record<string, TreeItem[]>>({});
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [items] = useState(() => new Map<string, TreeItem>());
  const [ready] = useState(() => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  });

  useEffect(() => {
    void client
      .query(RootRegionsDocument, {})
      .toPromise()
      .then((r) => {
        const list = (r.data?.regions.edges ?? []).map((e) => fromRegion(e!.node!));
        list.forEach((i) => items.set(i.key, i));
        setRoots(list);
        ready.resolve();
      });
  }, [client, items, ready]);

  const fetchKids = useCallback(
    async (item: TreeItem, more?: { what: 'regions' | 'sites'; after: string }): Promise<TreeItem[]> => {
      const out: TreeItem[] = [];
      const opts = { requestPolicy: 'network-only' as const };
      if (item.kind === 'region') {
        if (!more || more.what === 'regions') {
          const r = await client.query(RegionChildrenDocument, { id: item.id, after: more?.after ?? null }, opts).toPromise();
          const c = r.data?.node && 'children' in r.data.node ? r.data.node.children : null;
          c?.edges?.forEach((e) => out.push(fromRegion(e!.node!)));
          if (c?.pageInfo.hasNextPage) out.push({ kind: 'more', key: `${item.key}:r:${c.pageInfo.endCursor}`, parent: item.key, what: 'regions', after: c.pageInfo.endCursor! });
        }
        if (!more || more.what === 'sites') {
          const r = await client.query(RegionSitesDocument, { id: item.id, after: more?.after ?? null }, opts).toPromise();
          const c = r.data?.node && 'sites' in r.data.node ? r.data.node.sites : null;
          // A region's sites include their sub-sites (the server offers no
          // hasParent filter: it would test rows outside the caller's
          // scope), so only those whose parent is not listed here hang
          // directly under the region; the others under their parent site.
          const nodes = c?.edges?.map((e) => e!.node!) ?? [];
          const listed = new Set(nodes.map((n) => n.id));
          nodes.filter((n) => !n.parent || !listed.has(n.parent.id)).forEach((n) => out.push(fromSite(n)));
          if (c?.pageInfo.hasNextPage) out.push({ kind: 'more', key: `${item.key}:s:${c.pageInfo.endCursor}`, parent: item.key, what: 'sites', after: c.pageInfo.endCursor! });
        }
      } else if (item.kind === 'site') {
        const r = await client.query(SiteChildrenDocument, { id: item.id, after: more?.after ?? null }, opts).toPromise();
        const c = r.data?.node && 'children' in r.data.node ? r.data.node.children : null;
        c?.edges?.forEach((e) => out.push(fromSite(e!.node!)));
        if (c?.pageInfo.hasNextPage) out.push({ kind: 'more', key: `${item.key}:s:${c.pageInfo.endCursor}`, parent: item.key, what: 'sites', after: c.pageInfo.endCursor! });
      }
      out.forEach((i) => items.set(i.key, i));
      return out;
    },
    [client, items],
  );

  const load = useCallback(
    async (key: string) => {
      const item = items.get(key);
      if (!item) return;
      const list = await fetchKids(item);
      setKids((k) => ({ ...k, [key]: list }));
    },
    [fetchKids, items],
  );

  const loadMore = async (more: Extract<TreeItem, { kind: 'more' }>) => {
    const parent = items.get(more.parent);
    if (!parent) return;
    const list = await fetchKids(parent, { what: more.what, after: more.after });
    setKids((k) => {
      const old = (k[more.parent] ?? []).filter((i) => i.key !== more.key);
      // Regions first, then sites, as on the first page.
      const merged = more.what === 'regions' ? [...old.filter((i) => i.kind === 'region'), ...list, ...old.filter((i) => i.kind !== 'region')] : [...old, ...list];
      return { ...k, [more.parent]: merged };
    });
  };

  useImperativeHandle(
    ref,
    () => ({
      async expandPath(keys: string[]) {
        await ready.promise;
        for (const key of keys) {
          if (!kids[key]) await load(key);
        }
        setExpanded((e) => Array.from(new Set([...e, ...keys])));
      },
      async reload(key: string) {
        await load(key);
      },
    }),
    [kids, load, ready],
  );

  const title = useCallback(
    (i: TreeItem) => {
      if (i.kind === 'more') {
        return (
          <Button type="link" size="small" onClick={() => void loadMore(i)} style={{ padding: 0 }}>
            {t('common.more')}
          </Button>
        );
      }
      if (i.kind === 'region') {
        return (
          <span data-testid={`tree-region-${i.code}`}>
            {i.name} <Typography.Text type="secondary">{i.code}</Typography.Text>{' '}
            {i.childCount > 0 && <Tag bordered={false}>{t('tree.childCount', { count: i.childCount })}</Tag>}
            {i.siteCount > 0 && (
              <Tag bordered={false} color="blue">
                {t('tree.siteCount', { count: i.siteCount })}
              </Tag>
            )}
          </span>
        );
      }
      return (
        <span data-testid={`tree-site-${i.id}`}>
          <EnvironmentOutlined style={{ color: '#1677ff' }} /> {i.name}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {enumLabel('SiteCategory', i.category)}
          </Typography.Text>
          {!i.enabled && (
            <Tag color="orange" style={{ marginLeft: 4 }}>
              {t('treePage.disabledSite')}
            </Tag>
          )}
        </span>
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t],
  );

  const treeData = useMemo(() => {
    type Node = { key: string; title: React.ReactNode; isLeaf: boolean; selectable: boolean; children?: Node[] };
    const build = (i: TreeItem): Node => {
      const leaf = i.kind === 'more' || (i.kind === 'region' ? i.childCount === 0 && i.siteCount === 0 : i.childCount === 0);
      return {
        key: i.key,
        title: title(i),
        isLeaf: leaf,
        selectable: i.kind !== 'more' && (selectable ? selectable(i) : true),
        children: kids[i.key]?.map(build),
      };
    };
    return roots.map(build);
  }, [roots, kids, title, selectable]);

  return (
    <Tree
      blockNode
      treeData={treeData}
      height={height}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys)}
      selectedKeys={selected ? [selected] : []}
      loadData={async (node) => {
        if (!kids[node.key as string]) await load(node.key as string);
      }}
      loadedKeys={Object.keys(kids)}
      onSelect={(_, info) => {
        const item = items.get(info.node.key as string);
        if (item && item.kind !== 'more') onSelect(item);
      }}
    />
  );
});

export default JurisdictionTree;
