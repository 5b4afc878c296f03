// The panels of /dashboard, each one query of the statistics API (README
// "Statistics") drawn with ECharts and listed as a table.
import { lazy, Suspense, useMemo, type ComponentProps } from 'react';
import { Col, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { DashboardStatsQuery, Sector, StatsPeriod } from '../../gql/graphql';
import type { CombinedError } from 'urql';
import { enumLabel } from '../../i18n';
import type { ChartOption } from './Chart';
import { Panel, num, pct, useLiveQuery } from './Panel';
import { RankingDocument } from './queries';

export interface PanelArgs {
  /** The region or site counted under. */
  under: string;
  /** Set when under is a region (registrations and ranking need one). */
  isRegion: boolean;
  period: StatsPeriod;
  sector: Sector | null;
  tick: number;
  onLoaded: () => void;
}

/** The one analytics answer of the page (queries.ts StatsDocument), shared by the panels. */
export interface StatsAnswer {
  data?: DashboardStatsQuery;
  error?: CombinedError;
  loading: boolean;
}

// ECharts (≈190 KB gzipped) is its own chunk, fetched after the page's
// figures and tables are shown: with it in the page chunk, the page's first
// load would pass the 500 KB budget (scripts/size.mjs lists it as deferred).
const LazyChart = lazy(() => import('./Chart'));
function Chart(p: ComponentProps<typeof LazyChart>) {
  return (
    <Suspense fallback={<div style={{ height: p.height ?? 300 }} aria-busy="true" />}>
      <LazyChart {...p} />
    </Suspense>
  );
}

const colours: Record<string, string> = { GREEN: '#52c41a', YELLOW: '#fadb14', ORANGE: '#fa8c16', RED: '#f5222d', NONE: '#bfbfbf' };

/** Every local day from..to (YYYY-MM-DD), inclusive. */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayjs(from); !d.isAfter(dayjs(to), 'day') && out.length < 400; d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
  return out;
}

// ---------------------------------------------------------------------------
// Registrations against target (seed 003 annex 1 各乡镇街道安康码申领任务表:
// 目标任务量 = 辖区总人数 × 90%; the server applies the rule, targets/progress.go).

export function RegistrationsPanel({ a, onDrill }: { a: PanelArgs; onDrill: (code: string) => void }) {
  const { t } = useTranslation();
  const r = useLiveQuery(RankingDocument, { under: a.under }, a.tick, a.onLoaded, !a.isRegion || !!a.sector);
  const ranks = r.data?.registrationRanking ?? [];
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: ranks.map((x) => x.region.name),
        axisLabel: { interval: 0, rotate: ranks.length > 6 ? 35 : 0 },
      },
      yAxis: { type: 'value' },
      series: [
        { name: t('dashboard.registered'), type: 'bar', data: ranks.map((x) => x.progress.registered), itemStyle: { color: '#1677ff' } },
        {
          name: `${t('dashboard.target')}（×90%）`,
          type: 'line',
          data: ranks.map((x) => x.progress.target ?? null),
          symbol: 'diamond',
          symbolSize: 10,
          lineStyle: { type: 'dashed', color: '#fa541c' },
          itemStyle: { color: '#fa541c' },
        },
      ],
    }),
    [ranks, t],
  );
  const drillable = (code: string, level: string, children: number) => level !== 'COMMUNITY' && children > 0 && onDrill(code);
  return (
    <Panel
      title={t('dashboard.registrations')}
      testId="panel-registrations"
      note={`${t('dashboard.registrationsNote')} ${t('dashboard.drillHint')}`}
      notice={!a.isRegion ? t('dashboard.siteNoRegistrations') : a.sector ? t('dashboard.noSectorRegistrations') : undefined}
      error={r.error}
      loading={r.loading}
      empty={a.isRegion && ranks.length === 0}
      tableFirst
      chart={
        <Chart
          option={option}
          height={320}
          testId="chart-registrations"
          label={t('dashboard.registrations')}
          onItemClick={(i) => ranks[i] && drillable(ranks[i].region.code, ranks[i].region.level, ranks[i].region.childCount)}
        />
      }
      table={
        <Table
          size="small"
          rowKey={(x) => x.region.id}
          dataSource={ranks}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="table-registrations"
          onRow={(x) => ({
            onClick: () => drillable(x.region.code, x.region.level, x.region.childCount),
            style: { cursor: x.region.childCount > 0 ? 'pointer' : undefined },
          })}
          columns={[
            { title: t('dashboard.rank'), dataIndex: 'rank', width: 60 },
            { title: t('dashboard.region'), key: 'name', render: (_, x) => x.region.name },
            { title: t('dashboard.population'), key: 'pop', align: 'right', render: (_, x) => num(x.region.population) },
            { title: t('dashboard.target'), key: 'target', align: 'right', render: (_, x) => x.progress.target == null ? t('dashboard.noTarget') : num(x.progress.target) },
            { title: t('dashboard.registered'), key: 'reg', align: 'right', render: (_, x) => num(x.progress.registered) },
            { title: t('dashboard.rate'), key: 'rate', align: 'right', render: (_, x) => pct(x.progress.rate) },
          ]}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------
// Daily scans, fevers and denials (seed 000 §五.1 汇总全区每天…扫码人数).

export function DailyPanel({ r, extra }: { r: StatsAnswer; extra: React.ReactNode }) {
  const { t } = useTranslation();
  const s = r.data?.daily;
  const days = useMemo(() => {
    if (!s) return [];
    const by = new Map(daysOf(s.from, s.to).map((d) => [d, { day: d, scans: 0, fevers: 0, denials: 0 }]));
    for (const row of s.rows) {
      const d = row.day && by.get(row.day);
      if (!d) continue;
      d.scans += row.values[0];
      d.fevers += row.values[1];
      if (row.decision === 'DENY') d.denials += row.values[0];
    }
    return [...by.values()];
  }, [s]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: [{ type: 'value', name: t('dashboard.scans') }, { type: 'value', name: `${t('dashboard.fevers')}/${t('dashboard.denials')}` }],
      series: [
        { name: t('dashboard.scans'), type: 'bar', data: days.map((d) => d.scans), itemStyle: { color: '#1677ff' } },
        { name: t('dashboard.fevers'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.fevers), itemStyle: { color: '#fa541c' } },
        { name: t('dashboard.denials'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.denials), itemStyle: { color: '#722ed1' } },
      ],
    }),
    [days, t],
  );
  const total = days.reduce((n, d) => ({ scans: n.scans + d.scans, fevers: n.fevers + d.fevers, denials: n.denials + d.denials }), { scans: 0, fevers: 0, denials: 0 });
  return (
    <Panel
      title={t('dashboard.daily')}
      testId="panel-daily"
      extra={extra}
      error={r.error}
      loading={r.loading}
      summary={
        <Row gutter={16} style={{ marginBottom: 8 }}>
          <Col span={8}><Statistic title={t('dashboard.scans')} value={num(total.scans)} /></Col>
          <Col span={8}><Statistic title={t('dashboard.fevers')} value={num(total.fevers)} /></Col>
          <Col span={8}><Statistic title={t('dashboard.denials')} value={num(total.denials)} /></Col>
        </Row>
      }
      chart={<Chart option={option} testId="chart-daily" label={t('dashboard.daily')} />}
      table={
        <Table
          size="small"
          rowKey="day"
          dataSource={days}
          pagination={false}
          scroll={{ y: 240 }}
          columns={[
            { title: t('dashboard.day'), dataIndex: 'day' },
            { title: t('dashboard.scans'), dataIndex: 'scans', align: 'right', render: num },
            { title: t('dashboard.fevers'), dataIndex: 'fevers', align: 'right', render: num },
            { title: t('dashboard.denials'), dataIndex: 'denials', align: 'right', render: num },
          ]}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------
// The colours the codes scanned showed over the period.

export function ColoursPanel({ r }: { r: StatsAnswer }) {
  const { t } = useTranslation();
  const rows = useMemo(() => {
    const list = (r.data?.colours.rows ?? []).map((x) => ({ colour: x.colour ?? 'NONE', count: x.values[0] })).filter((x) => x.count > 0);
    const sum = list.reduce((n, x) => n + x.count, 0);
    const order = ['GREEN', 'YELLOW', 'ORANGE', 'RED', 'NONE'];
    return list.sort((x, y) => order.indexOf(x.colour) - order.indexOf(y.colour)).map((x) => ({ ...x, share: sum ? x.count / sum : 0 }));
  }, [r.data]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: rows.map((x) => ({ name: t(`colourName.${x.colour}`), value: x.count, itemStyle: { color: colours[x.colour] } })),
          label: { formatter: '{b}\n{d}%' },
        },
      ],
    }),
    [rows, t],
  );
  return (
    <Panel
      title={t('dashboard.colours')}
      testId="panel-colours"
      error={r.error}
      loading={r.loading}
      empty={rows.length === 0}
      chart={<Chart option={option} testId="chart-colours" label={t('dashboard.colours')} />}
      table={
        <Table
          size="small"
          rowKey="colour"
          dataSource={rows}
          pagination={false}
          columns={[
            { title: t('dashboard.colour'), dataIndex: 'colour', render: (c: string) => t(`colourName.${c}`) },
            { title: t('dashboard.count'), dataIndex: 'count', align: 'right', render: num },
            { title: t('dashboard.share'), dataIndex: 'share', align: 'right', render: pct },
          ]}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------
// Checkpoint coverage by site category (seed 003 annex 2 各机关单位检查点核验表:
// 建设情况 已建, 是否启用; and the sites that scanned today).

export function CoveragePanel({ r }: { r: StatsAnswer }) {
  const { t } = useTranslation();
  const rows = useMemo(() => {
    const by = new Map<string, { category: string; sites: number; built: number; enabled: number; scanning: number }>();
    const get = (c: string) => by.get(c) ?? by.set(c, { category: c, sites: 0, built: 0, enabled: 0, scanning: 0 }).get(c)!;
    for (const x of r.data?.sites.rows ?? []) {
      if (!x.category) continue;
      Object.assign(get(x.category), { sites: x.values[0], built: x.values[1], enabled: x.values[2] });
    }
    for (const x of r.data?.scanning.rows ?? []) if (x.category) get(x.category).scanning = x.values[0];
    return [...by.values()].filter((x) => x.sites + x.scanning > 0).sort((x, y) => y.sites - x.sites);
  }, [r.data]);
  const option = useMemo<ChartOption>(() => {
    const cats = [...rows].reverse();
    const bar = (name: string, key: 'sites' | 'built' | 'enabled' | 'scanning', color: string) => ({ name, type: 'bar', data: cats.map((x) => x[key]), itemStyle: { color } });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      yAxis: { type: 'category', data: cats.map((x) => enumLabel('SiteCategory', x.category)) },
      xAxis: { type: 'value', minInterval: 1 },
      series: [
        bar(t('dashboard.sites'), 'sites', '#bfbfbf'),
        bar(t('dashboard.built'), 'built', '#69b1ff'),
        bar(t('dashboard.enabled'), 'enabled', '#1677ff'),
        bar(t('dashboard.scanningToday'), 'scanning', '#52c41a'),
      ],
    };
  }, [rows, t]);
  return (
    <Panel
      title={t('dashboard.coverage')}
      testId="panel-coverage"
      note={t('dashboard.coverageNote')}
      error={r.error}
      loading={r.loading}
      empty={rows.length === 0}
      chart={<Chart option={option} height={Math.max(240, 40 + rows.length * 44)} testId="chart-coverage" label={t('dashboard.coverage')} />}
      table={
        <Table
          size="small"
          rowKey="category"
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('dashboard.category'), dataIndex: 'category', render: (c: string) => enumLabel('SiteCategory', c) },
            { title: t('dashboard.sites'), dataIndex: 'sites', align: 'right', render: num },
            { title: t('dashboard.built'), dataIndex: 'built', align: 'right', render: num },
            { title: t('dashboard.enabled'), dataIndex: 'enabled', align: 'right', render: num },
            { title: t('dashboard.scanningToday'), dataIndex: 'scanning', align: 'right', render: num },
          ]}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------
// Alert handling (seed 004 annex note 3 异常提醒; the mean time from raising
// to the visit, MEAN_VISIT_MINUTES).

export function AlertsPanel({ r }: { r: StatsAnswer }) {
  const { t } = useTranslation();
  // Measures in the order of queries.ts: ALERTS_RAISED, ALERTS_VISITED, ALERTS_CLOSED, MEAN_VISIT_MINUTES.
  const s = r.data?.alerts;
  const days = useMemo(() => {
    if (!s) return [];
    const by = new Map(daysOf(s.from, s.to).map((d) => [d, { day: d, raised: 0, visited: 0, closed: 0, mean: null as number | null }]));
    for (const row of s.rows) {
      const d = row.day && by.get(row.day);
      if (!d) continue;
      Object.assign(d, { raised: row.values[0], visited: row.values[1], closed: row.values[2], mean: row.values[1] > 0 ? row.values[3] : null });
    }
    return [...by.values()];
  }, [s]);
  const totals = s?.totals ?? [0, 0, 0, 0];
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', name: t('dashboard.meanVisitShort') }],
      series: [
        { name: t('dashboard.raised'), type: 'bar', data: days.map((d) => d.raised), itemStyle: { color: '#f5222d' } },
        { name: t('dashboard.visited'), type: 'bar', data: days.map((d) => d.visited), itemStyle: { color: '#fa8c16' } },
        { name: t('dashboard.closed'), type: 'bar', data: days.map((d) => d.closed), itemStyle: { color: '#52c41a' } },
        { name: t('dashboard.meanVisitShort'), type: 'line', yAxisIndex: 1, connectNulls: true, data: days.map((d) => (d.mean == null ? null : Math.round(d.mean))), itemStyle: { color: '#722ed1' } },
      ],
    }),
    [days, t],
  );
  return (
    <Panel
      title={t('dashboard.alerts')}
      testId="panel-alerts"
      error={r.error}
      loading={r.loading}
      summary={
        <Row gutter={16} style={{ marginBottom: 8 }}>
          <Col span={6}><Statistic title={t('dashboard.raised')} value={num(totals[0])} /></Col>
          <Col span={6}><Statistic title={t('dashboard.visited')} value={num(totals[1])} /></Col>
          <Col span={6}><Statistic title={t('dashboard.closed')} value={num(totals[2])} /></Col>
          <Col span={6}>
            <Statistic title={t('dashboard.meanVisitShort')} value={totals[1] > 0 ? t('dashboard.minutes', { n: totals[3].toFixed(1) }) : '—'} />
          </Col>
        </Row>
      }
      chart={<Chart option={option} testId="chart-alerts" label={t('dashboard.alerts')} />}
      table={
        <Table
          size="small"
          rowKey="day"
          dataSource={days}
          pagination={false}
          scroll={{ y: 240 }}
          columns={[
            { title: t('dashboard.day'), dataIndex: 'day' },
            { title: t('dashboard.raised'), dataIndex: 'raised', align: 'right', render: num },
            { title: t('dashboard.visited'), dataIndex: 'visited', align: 'right', render: num },
            { title: t('dashboard.closed'), dataIndex: 'closed', align: 'right', render: num },
            { title: t('dashboard.meanVisit'), dataIndex: 'mean', align: 'right', render: (m: number | null) => (m == null ? '—' : m.toFixed(1)) },
          ]}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------
// Supervision (seed 000 §五.3 实时监控全区扫码情况): mandatory sites with no
// scan today.

export function IdleSitesPanel({ r }: { r: StatsAnswer }) {
  const { t } = useTranslation();
  const idle = r.data?.supervision.idleSites;
  return (
    <Panel
      title={t('dashboard.idle')}
      testId="panel-idle"
      note={t('dashboard.idleNote')}
      extra={idle && <Typography.Text strong>{t('dashboard.idleCount', { count: idle.totalCount })}</Typography.Text>}
      error={r.error}
      loading={r.loading}
      chart={
        idle && idle.totalCount === 0 ? (
          <Typography.Text type="success">{t('dashboard.idleNone')}</Typography.Text>
        ) : (
          <>
            <Table
              size="small"
              rowKey="id"
              dataSource={idle?.nodes ?? []}
              pagination={false}
              scroll={{ x: 'max-content', y: 320 }}
              columns={[
                { title: t('dashboard.siteName'), key: 'name', render: (_, x) => <Link to={`/sites/${encodeURIComponent(x.id)}`}>{x.name}</Link> },
                { title: t('dashboard.category'), key: 'cat', render: (_, x) => enumLabel('SiteCategory', x.category) },
                { title: t('dashboard.path'), key: 'region', render: (_, x) => x.region.name },
              ]}
            />
            {idle?.hasNextPage && (
              <Typography.Text type="secondary">{t('dashboard.idleMore', { shown: idle.nodes.length })}</Typography.Text>
            )}
          </>
        )
      }
    />
  );
}
