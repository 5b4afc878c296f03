// Pickers of an account's scope: a site searched by name (optionally within
// a region), or a region searched by name or code. The server filters both
// lists by the acting account's scope, so only what it may use is offered.
import { useEffect, useState } from 'react';
import { Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { enumLabel } from '../../i18n';
import './locale';

const PickSitesDocument = graphql(`
  query PickSites($where: SiteWhereInput) {
    sites(first: 20, where: $where) {
      edges {
        node {
          id
          name
          enabled
          region {
            id
            name
          }
          parent {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PickRegionsDocument = graphql(`
  query PickRegions($where: RegionWhereInput) {
    regions(first: 20, where: $where) {
      edges {
        node {
          id
          code
          name
          level
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export function useDebounced(value: string, ms = 300) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

interface PickerProps {
  value?: string;
  onChange?: (id: string | undefined) => void;
  id?: string;
}

/** A region, searched by name (or by code when digits are typed). */
export function RegionPicker({ value, onChange, id, placeholder }: PickerProps & { placeholder?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const where = /^\d+$/.test(q) ? { codeHasPrefix: q } : { nameContains: q };
  const [r] = useQuery({ query: PickRegionsDocument, variables: { where }, pause: q === '' });
  const options = (r.data?.regions.edges ?? []).flatMap((e) =>
    e?.node ? [{ value: e.node.id, label: `${e.node.name}（${enumLabel('RegionLevel', e.node.level)} ${e.node.code}）` }] : [],
  );
  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value}
      placeholder={placeholder ?? t('accounts.pickRegion')}
      filterOption={false}
      onSearch={setSearch}
      onChange={(v) => onChange?.(v)}
      loading={r.fetching}
      options={options}
      notFoundContent={null}
      style={{ width: '100%' }}
    />
  );
}

/** A site, searched by name, optionally within a region chosen first. */
export function SitePicker({ value, onChange, id }: PickerProps) {
  const { t } = useTranslation();
  const [within, setWithin] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const where = { nameContains: q || undefined, within };
  const [r] = useQuery({ query: PickSitesDocument, variables: { where }, pause: q === '' && !within });
  const options = (r.data?.sites.edges ?? []).flatMap((e) =>
    e?.node
      ? [{ value: e.node.id, label: `${e.node.name} · ${e.node.parent ? e.node.parent.name + ' · ' : ''}${e.node.region.name}` }]
      : [],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <RegionPicker value={within} onChange={setWithin} placeholder={t('accounts.limitRegion')} />
      <Select
        id={id}
        data-testid="site-picker"
        showSearch
        allowClear
        value={value}
        placeholder={t('accounts.pickSite')}
        filterOption={false}
        onSearch={setSearch}
        onChange={(v) => onChange?.(v)}
        loading={r.fetching}
        options={options}
        notFoundContent={null}
        style={{ width: '100%' }}
      />
    </Space>
  );
}
