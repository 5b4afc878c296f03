// /dashboard (issue 14): the statistics of a node of the tree, from the
// statistics API of issue 12 (README "Statistics"; seed 000 §四.1, §五.1
// 汇总全区每天注册人数和扫码人数, §五.3 实时监控; seed 003 annexes 1 and 2).
// The node is in the URL (/dashboard?under=<region code or global id>,
// default the acting account's scope); clicking a region (a bar or a table
// row) drills down, the breadcrumb goes back up. It refreshes every 30 s
// and at once when the alertRaised subscription pushes an alert.
import './locale';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Breadcrumb, Button, Col, Row, Segmented, Select, Skeleton, Space, Tooltip, Typography } from 'antd';
import { ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useQuery, useSubscription } from 'urql';
import dayjs from 'dayjs';
import type { DashboardPlaceFragment, Sector, StatsPeriod } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import { useViewer } from '../../viewer';
import { AlertRaisedDocument, NodeDocument, ProvincesDocument, RegionByCodeDocument, StatsDocument } from './queries';
import { useLiveQuery } from './Panel';
import { AlertsPanel, ColoursPanel, CoveragePanel, DailyPanel, IdleSitesPanel, RegistrationsPanel, type PanelArgs } from './Panels';
import ExportButton from './Export';

const refreshEvery = 30_000;
const sectors: Sector[] = ['GOVERNMENT', 'HEALTH', 'EDUCATION', 'COMMERCE', 'CULTURE_TOURISM', 'TRANSPORT', 'HOUSING', 'INDUSTRY', 'PUBLIC_SECURITY', 'CIVIL_AFFAIRS', 'FINANCE', 'UTILITIES', 'OTHER'];

interface Place {
  id: string;
  name: string;
  region: DashboardPlaceFragment;
  isRegion: boolean;
}

/** The node of ?under= (a division code, or a region's or site's global id), else the acting account's scope. */
function usePlace(under: string | null) {
  const { viewer } = useViewer();
  const acting = viewer?.acting;
  const code = under ? (/^\d+$/.test(under) ? under : null) : acting?.scopeRegion?.code ?? null;
  const id = under ? (code ? null : under) : acting?.scopeRegion ? null : acting?.scopeSite?.id ?? null;
  const [byCode] = useQuery({ query: RegionByCodeDocument, variables: { code: code ?? '' }, pause: !code });
  const [byId] = useQuery({ query: NodeDocument, variables: { id: id ?? '' }, pause: !id });
  let place: Place | null = null;
  if (code && byCode.data) {
    const r = byCode.data.regionByCode;
    place = { id: r.id, name: r.name, region: r, isRegion: true };
  } else if (id && byId.data?.node) {
    const n = byId.data.node as Partial<DashboardPlaceFragment> & { region?: DashboardPlaceFragment };
    if (n.region && n.id && n.name) place = { id: n.id, name: n.name, region: n.region, isRegion: false };
    else if (n.code && n.ancestors) place = { id: n.id!, name: n.name!, region: n as DashboardPlaceFragment, isRegion: true };
  }
  return {
    place,
    // Neither a code nor an id: an account scoped everywhere (the province's INITIATOR) with no ?under.
    unscoped: !!viewer && !code && !id,
    fetching: byCode.fetching || byId.fetching || !viewer,
    error: byCode.error ?? byId.error,
    scopeCode: acting?.scopeRegion?.code ?? null,
    fixedSector: (acting?.sector ?? null) as Sector | null,
  };
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const [params, setParams] = useSearchParams();
  const under = params.get('under');
  const period: StatsPeriod = params.get('days') === '30' ? 'LAST_30_DAYS' : 'LAST_14_DAYS';
  const { place, unscoped, fetching, error, scopeCode, fixedSector } = usePlace(under);
  const [chosenSector, setChosenSector] = useState<Sector | null>(null);
  // SECURITY: an OFFICIAL limited to a sector reads statistics only with
  // where.sector = its sector (README "Query.stats", scope); the server
  // refuses anything else with FORBIDDEN, so the page never asks it.
  const sector = fixedSector ?? chosenSector;

  // Live refresh: every 30 s, and when an alert is raised in scope.
  const [tick, setTick] = useState(0);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  useEffect(() => {
    const h = setInterval(() => setTick((n) => n + 1), refreshEvery);
    return () => clearInterval(h);
  }, []);
  const mayListen = access.can('alert', 'subscribe') && !!place;
  const pending = useRef<ReturnType<typeof setTimeout>>();
  useSubscription({ query: AlertRaisedDocument, variables: { scope: place?.id }, pause: !mayListen }, (_, ev) => {
    // Coalesce a burst of alerts into one refresh.
    clearTimeout(pending.current);
    pending.current = setTimeout(() => setTick((n) => n + 1), 1000);
    return ev;
  });
  useEffect(() => () => clearTimeout(pending.current), []);
  const onLoaded = useCallback(() => setUpdatedAt(new Date()), []);

  const go = useCallback(
    (next: Record<string, string | null>) => {
      const p = new URLSearchParams(params);
      for (const [k, v] of Object.entries(next)) {
        if (v == null) p.delete(k);
        else p.set(k, v);
      }
      setParams(p);
    },
    [params, setParams],
  );
  const drill = useCallback((code: string) => go({ under: code }), [go]);

  const crumbs = useMemo(() => {
    if (!place) return [];
    const r = place.region;
    // Regions above the account's scope are shown but not linked: their
    // statistics would be refused (FORBIDDEN).
    const above = (code: string) => !!scopeCode && scopeCode !== code && scopeCode.startsWith(code);
    const items = [...r.ancestors, r].map((x, i, all) => ({
      title:
        above(x.code) || (place.isRegion && i === all.length - 1) ? (
          <span>{x.name}</span>
        ) : (
          <Link to={`/dashboard?${new URLSearchParams({ ...Object.fromEntries(params), under: x.code })}`}>{x.name}</Link>
        ),
    }));
    if (!place.isRegion) items.push({ title: <span>{place.name}</span> });
    return items;
  }, [place, scopeCode, params]);

  const args: PanelArgs | null = place ? { under: place.id, isRegion: place.isRegion, period, sector, tick, onLoaded } : null;
  const stats = useLiveQuery(StatsDocument, { under: place?.id ?? '', period, sector }, tick, onLoaded, !place);
  const periodSwitch = (
    <Segmented<string>
      size="small"
      value={period === 'LAST_30_DAYS' ? '30' : '14'}
      options={[
        { label: t('dashboard.days14'), value: '14' },
        { label: t('dashboard.days30'), value: '30' },
      ]}
      onChange={(v) => go({ days: v === '30' ? '30' : null })}
    />
  );

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('dashboard.title')}
          {place ? ` · ${place.name}` : ''}
        </Typography.Title>
        <Space wrap>
          <Select<Sector | ''>
            style={{ minWidth: 140 }}
            aria-label={t('dashboard.sector')}
            value={sector ?? ''}
            disabled={!!fixedSector}
            onChange={(v) => setChosenSector(v || null)}
            options={[{ value: '', label: t('dashboard.allSectors') }, ...sectors.map((s) => ({ value: s, label: enumLabel('Sector', s) }))]}
          />
          {periodSwitch}
          <Tooltip title={t('dashboard.refresh')}>
            <Button icon={<ReloadOutlined />} aria-label={t('dashboard.refresh')} onClick={() => setTick((n) => n + 1)} />
          </Tooltip>
          {place && <ExportButton under={place.id} name={place.name} period={period} sector={sector} />}
        </Space>
      </Space>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Breadcrumb items={crumbs} data-testid="breadcrumbs" />
        <Typography.Text type="secondary" data-testid="updated-at">
          {mayListen && <SyncOutlined spin={false} style={{ marginRight: 4 }} title={t('dashboard.live')} />}
          {updatedAt ? t('dashboard.updatedAt', { time: dayjs(updatedAt).format('HH:mm:ss') }) : ''}
        </Typography.Text>
      </Space>
      {fixedSector && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('dashboard.sectorFixed', { sector: enumLabel('Sector', fixedSector) })} />
      )}
      <ErrorAlert error={error} />
      {unscoped && <UnscopedPicker onPick={drill} />}
      {fetching && !place && !error && !unscoped && <Skeleton active />}
      {args && (
        <Row gutter={[12, 12]}>
          <Col span={24}>
            <RegistrationsPanel a={args} onDrill={drill} />
          </Col>
          <Col xs={24} xl={16}>
            <DailyPanel r={stats} extra={periodSwitch} />
          </Col>
          <Col xs={24} xl={8}>
            <ColoursPanel r={stats} />
          </Col>
          <Col xs={24} xl={12}>
            <CoveragePanel r={stats} />
          </Col>
          <Col xs={24} xl={12}>
            <AlertsPanel r={stats} />
          </Col>
          <Col span={24}>
            <IdleSitesPanel r={stats} />
          </Col>
        </Row>
      )}
    </>
  );
}

/** An account scoped everywhere (the INITIATOR) without ?under: the provinces to start from. */
function UnscopedPicker({ onPick }: { onPick: (code: string) => void }) {
  const [r] = useQuery({ query: ProvincesDocument });
  useEffect(() => {
    const list = r.data?.regions.edges ?? [];
    if (list.length === 1 && list[0]?.node) onPick(list[0].node.code);
  }, [r.data, onPick]);
  return (
    <>
      <ErrorAlert error={r.error} />
      <Space wrap>
        {(r.data?.regions.edges ?? []).map((e) =>
          e?.node ? (
            <Button key={e.node.id} onClick={() => onPick(e.node!.code)}>
              {e.node.name}
            </Button>
          ) : null,
        )}
      </Space>
    </>
  );
}

