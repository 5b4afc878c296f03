// The subtree of the scans filter: a region within the acting account's
// scope, or a site (the server lists only the sites the scope covers),
// searched by name; its id goes to ScanWhereInput.within.
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useViewer } from '../../viewer';

const SubtreeSearchDocument = graphql(`
  query ScanSubtreeSearch($regions: RegionWhereInput, $sites: SiteWhereInput) {
    regions(first: 10, where: $regions) {
      edges {
        node {
          id
          name
          code
        }
      }
    }
    sites(first: 10, where: $sites) {
      edges {
        node {
          id
          name
          region {
            id
            name
          }
        }
      }
    }
  }
`);

const SubtreeNodeDocument = graphql(`
  query ScanSubtreeNode($id: ID!) {
    node(id: $id) {
      id
      ... on Region {
        name
      }
      ... on Site {
        name
      }
    }
  }
`);

function useDebounced(value: string, ms = 300) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

export default function SubtreePicker({ value, onChange }: { value?: string; onChange: (id: string | undefined) => void }) {
  const { t } = useTranslation();
  const { viewer } = useViewer();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const scopeRegion = viewer?.acting.scopeSite ? undefined : viewer?.acting.scopeRegion?.id;
  const [r] = useQuery({
    query: SubtreeSearchDocument,
    variables: {
      regions: viewer?.acting.scopeSite ? { idIn: [] } : { nameContains: q, ...(scopeRegion ? { within: scopeRegion } : {}) },
      sites: { nameContains: q },
    },
    pause: q === '',
  });
  // The name of the node a link or a reload brought.
  const [n] = useQuery({ query: SubtreeNodeDocument, variables: { id: value ?? '' }, pause: !value });
  const current = n.data?.node && 'name' in n.data.node ? n.data.node.name : undefined;
  const regions = (r.data?.regions.edges ?? []).flatMap((e) => (e?.node ? [{ value: e.node.id, label: `${e.node.name}（${e.node.code}）` }] : []));
  const sites = (r.data?.sites.edges ?? []).flatMap((e) =>
    e?.node ? [{ value: e.node.id, label: `${e.node.name} · ${e.node.region.name}` }] : [],
  );
  const options = [
    ...(regions.length ? [{ label: t('scans.region'), options: regions }] : []),
    ...(sites.length ? [{ label: t('scans.site'), options: sites }] : []),
  ];
  if (value && current && !regions.some((o) => o.value === value) && !sites.some((o) => o.value === value)) {
    options.unshift({ label: t('scans.subtree'), options: [{ value, label: current }] });
  }
  return (
    <Select
      data-testid="filter-subtree"
      showSearch
      allowClear
      value={value}
      placeholder={t('scans.subtreePlaceholder')}
      filterOption={false}
      onSearch={setSearch}
      onChange={(v?: string) => onChange(v || undefined)}
      loading={r.fetching}
      options={options}
      notFoundContent={null}
      style={{ width: '100%' }}
    />
  );
}
