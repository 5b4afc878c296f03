// /tree and /tree/:code (a deep link to a region, e.g. /tree/220104;
// ?site=<id> selects a site): the jurisdiction tree on the left, the
// selected region's or site's details on the right, breadcrumbs above,
// search by name or division code. On a 768 px tablet the two stack.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { AutoComplete, Breadcrumb, Button, Card, Col, Descriptions, Empty, Input, Row, Space, Tag } from 'antd';
import { PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { SiteDetailsFragment } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import { useAccess } from '../../useAccess';
import { useViewer } from '../../viewer';
import ErrorAlert from '../../components/ErrorAlert';
import JurisdictionTree, { regionKey, siteKey, type TreeHandle, type TreeItem } from './JurisdictionTree';
import SiteDetails, { SiteScanners } from '../sites/SiteDetails';
import './locale';

const RegionDetailsDocument = graphql(`
  query TreeRegion($code: String!) {
    regionByCode(code: $code) {
      id
      code
      name
      level
      childCount
      siteCount
      population
      registrationTarget
      ancestors {
        id
        code
        name
      }
    }
  }
`);

const TreeSiteDocument = graphql(`
  query TreeSiteNode($id: ID!) {
    node(id: $id) {
      ... on Site {
        ...SiteDetails
      }
    }
  }
`);

const SearchDocument = graphql(`
  query TreeSearch($name: String, $code: String, $withSites: Boolean!) {
    regions(first: 10, where: { nameContains: $name, codeHasPrefix: $code }, orderBy: [{ field: CODE }]) {
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
    sites(first: 10, where: { nameContains: $name }) @include(if: $withSites) {
      edges {
        node {
          id
          name
          region {
            code
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

function useSearch() {
  const client = useClient();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [options, setOptions] = useState<{ label: React.ReactNode; options: { value: string; label: React.ReactNode }[] }[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const onSearch = (raw: string) => {
    clearTimeout(timer.current);
    const q = raw.trim();
    if (!q) {
      setOptions([]);
      return;
    }
    timer.current = setTimeout(async () => {
      const code = /^\d+$/.test(q);
      const r = await client.query(SearchDocument, { name: code ? null : q, code: code ? q : null, withSites: !code }).toPromise();
      const regions = (r.data?.regions.edges ?? []).map((e) => e!.node!);
      const sites = (r.data?.sites?.edges ?? []).map((e) => e!.node!);
      const groups = [];
      if (regions.length)
        groups.push({
          label: t('treePage.searchRegions'),
          options: regions.map((x) => ({
            value: `r:${x.code}`,
            label: (
              <span>
                {x.name} <Tag bordered={false}>{enumLabel('RegionLevel', x.level)}</Tag> {x.code}
              </span>
            ),
          })),
        });
      if (sites.length)
        groups.push({
          label: t('treePage.searchSites'),
          options: sites.map((x) => ({ value: `s:${x.region.code}:${x.id}`, label: `${x.name}（${x.region.name}）` })),
        });
      if (!groups.length) groups.push({ label: t('tree.noResults'), options: [] });
      setOptions(groups);
    }, 250);
  };
  const onPick = (v: string) => {
    const [kind, code, id] = v.split(':');
    navigate(kind === 'r' ? `/tree/${code}` : `/tree/${code}?site=${id}`);
  };
  return { options, onSearch, onPick };
}

export default function TreePage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const [params] = useSearchParams();
  const siteId = params.get('site');
  const navigate = useNavigate();
  const access = useAccess();
  const { viewer } = useViewer();
  const tree = useRef<TreeHandle>(null);
  const search = useSearch();

  // /tree alone opens at the acting account's own region.
  const home = viewer?.acting.scopeRegion?.code;
  useEffect(() => {
    if (!code && home) navigate(`/tree/${home}`, { replace: true });
  }, [code, home, navigate]);

  const [{ data: rd, error: regionError }] = useQuery({ query: RegionDetailsDocument, variables: { code: code ?? '' }, pause: !code });
  const region = rd?.regionByCode;
  const [{ data: sd, error: siteError }] = useQuery({ query: TreeSiteDocument, variables: { id: siteId ?? '' }, pause: !siteId });
  const site = sd?.node && 'category' in sd.node ? (sd.node as SiteDetailsFragment) : null;

  const siteChain = useMemo(() => {
    type Up = { id: string; name: string; parent?: Up | null };
    const chain: { id: string; name: string }[] = [];
    for (let p: Up | null | undefined = site?.parent; p; p = p.parent) chain.unshift({ id: p.id, name: p.name });
    return chain;
  }, [site]);

  // A deep link opens the tree down to its region (and the site's parents).
  useEffect(() => {
    if (!region) return;
    const keys = [...region.ancestors.map((a) => regionKey(a.id)), regionKey(region.id)];
    if (site && site.region.id === region.id) keys.push(...siteChain.map((s) => siteKey(s.id)));
    void tree.current?.expandPath(keys);
  }, [region, site, siteChain]);

  const onSelect = (item: TreeItem) => {
    if (item.kind === 'region') navigate(`/tree/${item.code}`);
    else if (item.kind === 'site') navigate({ search: `?site=${item.id}` });
  };
  const selected = site ? siteKey(site.id) : region ? regionKey(region.id) : undefined;

  const crumbs = [
    { title: <Link to="/tree">{t('treePage.root')}</Link> },
    ...(region ? [...region.ancestors, region].map((a) => ({ title: <Link to={`/tree/${a.code}`}>{a.name}</Link> })) : []),
    ...(site ? [...siteChain.map((s) => ({ title: <Link to={`?site=${s.id}`}>{s.name}</Link> })), { title: site.name }] : []),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Breadcrumb items={crumbs} data-testid="breadcrumbs" />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('tree.title')}>
            <AutoComplete options={search.options} onSearch={search.onSearch} onSelect={search.onPick} style={{ width: '100%', marginBottom: 12 }}>
              <Input.Search placeholder={t('tree.searchPlaceholder')} allowClear aria-label={t('tree.searchPlaceholder')} />
            </AutoComplete>
            <JurisdictionTree ref={tree} selected={selected} onSelect={onSelect} height={560} />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <ErrorAlert error={regionError ?? siteError} />
          {site ? (
            <Card
              size="small"
              title={site.name}
              extra={
                <Link to={`/sites/${site.id}`}>
                  <Button type="primary" icon={<RightOutlined />}>
                    {t('tree.openSite')}
                  </Button>
                </Link>
              }
            >
              <SiteDetails site={site} />
              <Card size="small" type="inner" title={t('site.scanners')} style={{ marginTop: 16 }}>
                <SiteScanners siteId={site.id} />
              </Card>
            </Card>
          ) : region ? (
            <Card
              size="small"
              title={region.name}
              extra={
                access.siteCreate && (
                  <Link to={`/sites/new?parent=${region.id}`}>
                    <Button icon={<PlusOutlined />}>{t('tree.newSite')}</Button>
                  </Link>
                )
              }
            >
              <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" data-testid="region-details">
                <Descriptions.Item label={t('tree.code')}>{region.code}</Descriptions.Item>
                <Descriptions.Item label={t('tree.level')}>{enumLabel('RegionLevel', region.level)}</Descriptions.Item>
                <Descriptions.Item label={t('tree.region')}>{t('tree.childCount', { count: region.childCount })}</Descriptions.Item>
                <Descriptions.Item label={t('tree.sites')}>{t('tree.siteCount', { count: region.siteCount })}</Descriptions.Item>
                {region.population != null && <Descriptions.Item label={t('treePage.population')}>{region.population}</Descriptions.Item>}
                {region.registrationTarget != null && (
                  <Descriptions.Item label={t('treePage.registrationTarget')}>{region.registrationTarget}</Descriptions.Item>
                )}
              </Descriptions>
            </Card>
          ) : (
            <Card size="small">
              <Empty description={t('tree.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
    </Space>
  );
}
