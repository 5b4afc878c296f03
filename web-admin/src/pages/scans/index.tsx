// /scans: the door scan records with the fields of seed 004 annex note 2
// (管理侧出入扫码记录可查信息有姓名、证件号码、扫码类型、扫码点、扫码员、扫码时间、
// 健康码状况和体温结果, 点击查看详情…), masked; abnormal rows in red (annex
// note 3: 健康码为橙码或体温异常时…标红单独展示). Filters live in the URL
// query string (?within=&from=&to=&colour=&decision=&fever=1), pages are
// keyset (cursors, never an offset), the total is counted only on request,
// and the current filter exports to XLSX as a job with a progress bar.
import './locale';
import { useMemo, useState } from 'react';
import { Button, Card, Checkbox, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { Colour, ScanDecision, ScanRowFragment, ScanWhereInput } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import SubtreePicker from './SubtreePicker';
import ExportScans from './ExportScans';
import { enumLabel } from '../../i18n';
import '../../components/tables.css';
import ColourTag from '../../components/ColourTag';
import Temperature from '../../components/Temperature';

graphql(`
  fragment ScanRow on Scan {
    id
    nameMasked
    idNumberMasked
    method
    siteName
    scannerName
    serverTime
    colour
    temperature
    fever
    decision
    alertReasons
    site {
      id
    }
    account {
      id
    }
    person {
      id
    }
  }
`);

// The list never selects totalCount: a page costs no COUNT (graph/helpers.go withoutPageCount).
const ScanPageDocument = graphql(`
  query ScanPage($where: ScanWhereInput, $first: Int!, $after: Cursor) {
    scans(first: $first, after: $after, where: $where, orderBy: [{ field: SERVER_TIME, direction: DESC }]) {
      edges {
        node {
          ...ScanRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

// Asked only when the user presses 统计总数.
const ScanCountDocument = graphql(`
  query ScanCount($where: ScanWhereInput) {
    scans(first: 0, where: $where) {
      totalCount
    }
  }
`);

const colours: Colour[] = ['GREEN', 'YELLOW', 'ORANGE', 'RED'];
const decisions: ScanDecision[] = ['PASS', 'DENY'];
const pageSizes = [10, 20, 50, 100];

/** Abnormal (seed 004 annex note 3): alert reasons, a fever, a code other than green, or a denial. */
export function abnormal(s: Pick<ScanRowFragment, 'alertReasons' | 'fever' | 'colour' | 'decision'>): boolean {
  return s.alertReasons.length > 0 || s.fever || (s.colour != null && s.colour !== 'GREEN') || s.decision === 'DENY';
}

/** The URL's filter as the API's where-input. */
export function whereOf(params: URLSearchParams): ScanWhereInput {
  const where: ScanWhereInput = {};
  const within = params.get('within');
  if (within) where.within = within;
  const from = params.get('from');
  if (from && dayjs(from).isValid()) where.serverTimeGTE = dayjs(from).startOf('day').toISOString();
  const to = params.get('to');
  if (to && dayjs(to).isValid()) where.serverTimeLT = dayjs(to).add(1, 'day').startOf('day').toISOString();
  const colour = (params.get('colour') ?? '').split(',').filter((c): c is Colour => (colours as string[]).includes(c));
  if (colour.length) where.colourIn = colour;
  const decision = params.get('decision');
  if (decision === 'PASS' || decision === 'DENY') where.decision = decision;
  if (params.get('fever') === '1') where.fever = true;
  return where;
}

function useColumns(): ColumnsType<ScanRowFragment> {
  const { t } = useTranslation();
  return useMemo(
    () => [
      { title: t('scans.name'), dataIndex: 'nameMasked', key: 'name', width: 90 },
      { title: t('scans.idNumber'), dataIndex: 'idNumberMasked', key: 'id', width: 170 },
      { title: t('scans.method'), key: 'method', width: 90, render: (_, s) => t(`scans.methods.${s.method}`) },
      {
        title: t('scans.place'),
        key: 'site',
        render: (_, s) => (s.site ? <Link to={`/sites/${s.site.id}`}>{s.siteName}</Link> : s.siteName),
      },
      {
        title: t('scans.scanner'),
        key: 'scanner',
        width: 90,
        render: (_, s) => (s.account ? <Link to={`/accounts?account=${encodeURIComponent(s.account.id)}`}>{s.scannerName}</Link> : s.scannerName),
      },
      {
        title: t('scans.scannedAt'),
        key: 'time',
        width: 150,
        render: (_, s) => dayjs(s.serverTime).format('YYYY-MM-DD HH:mm:ss'),
      },
      { title: t('scans.colour'), key: 'colour', width: 80, render: (_, s) => <ColourTag colour={s.colour} empty={<Tag>{t('scans.noColour')}</Tag>} /> },
      {
        title: t('scans.temperature'),
        key: 'temp',
        width: 96,
        render: (_, s) => <Temperature value={s.temperature} fever={s.fever} />,
      },
      {
        title: t('scans.decision'),
        key: 'decision',
        width: 80,
        render: (_, s) => <Tag color={s.decision === 'DENY' ? 'red' : 'green'}>{enumLabel('ScanDecision', s.decision)}</Tag>,
      },
      {
        title: t('scans.reasons'),
        key: 'reasons',
        render: (_, s) => s.alertReasons.map((r) => enumLabel('AlertReason', r)).join('、'),
      },
      {
        title: t('scans.actions'),
        key: 'actions',
        fixed: 'right',
        width: 100,
        render: (_, s) =>
          s.person ? (
            <Link to={`/persons/${s.person.id}`}>{t('scans.actions')}</Link>
          ) : (
            <Typography.Text type="secondary">{t('scans.noPerson')}</Typography.Text>
          ),
      },
    ],
    [t],
  );
}

function Filters({ params, setParams }: { params: URLSearchParams; setParams: (p: URLSearchParams) => void }) {
  const { t } = useTranslation();
  const set = (key: string, value: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const from = params.get('from');
  const to = params.get('to');
  return (
    <Space wrap style={{ marginBottom: 12 }} align="center">
      <div style={{ width: 240 }}>
        <SubtreePicker value={params.get('within') ?? undefined} onChange={(v) => set('within', v)} />
      </div>
      <DatePicker.RangePicker
        data-testid="filter-time"
        allowEmpty={[true, true]}
        value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
        onChange={(v) => {
          const next = new URLSearchParams(params);
          const [a, b] = v ?? [null, null];
          if (a) next.set('from', a.format('YYYY-MM-DD'));
          else next.delete('from');
          if (b) next.set('to', b.format('YYYY-MM-DD'));
          else next.delete('to');
          setParams(next);
        }}
      />
      <Select
        mode="multiple"
        allowClear
        data-testid="filter-colour"
        style={{ minWidth: 150 }}
        placeholder={t('scans.colour')}
        value={(params.get('colour') ?? '').split(',').filter(Boolean)}
        onChange={(v: string[]) => set('colour', v.join(','))}
        options={colours.map((c) => ({ value: c, label: enumLabel('Colour', c) }))}
      />
      <Select
        allowClear
        data-testid="filter-decision"
        style={{ minWidth: 120 }}
        placeholder={t('scans.decision')}
        value={params.get('decision') ?? undefined}
        onChange={(v?: string) => set('decision', v)}
        options={decisions.map((d) => ({ value: d, label: enumLabel('ScanDecision', d) }))}
      />
      <Checkbox data-testid="filter-fever" checked={params.get('fever') === '1'} onChange={(e) => set('fever', e.target.checked ? '1' : null)}>
        {t('scans.feverOnly')}
      </Checkbox>
      <Button onClick={() => setParams(new URLSearchParams(params.get('size') ? { size: params.get('size')! } : {}))}>{t('scans.reset')}</Button>
    </Space>
  );
}

/** The total, counted only when asked (a COUNT over the filter). */
function CountButton({ where }: { where: ScanWhereInput }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState(false);
  const [r] = useQuery({ query: ScanCountDocument, variables: { where }, pause: !asked, requestPolicy: 'network-only' });
  if (asked && r.data) return <Typography.Text data-testid="scan-count">{t('scans.counted', { n: r.data.scans.totalCount })}</Typography.Text>;
  return (
    <>
      <ErrorAlert error={r.error} />
      <Button data-testid="count" loading={r.fetching} onClick={() => setAsked(true)}>
        {t('scans.count')}
      </Button>
    </>
  );
}

function ScanList({ where, size, onSize }: { where: ScanWhereInput; size: number; onSize: (n: number) => void }) {
  const { t } = useTranslation();
  const columns = useColumns();
  // Keyset paging: the cursors of the pages before this one (a stack), and this page's.
  const [before, setBefore] = useState<(string | null)[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const [r] = useQuery({ query: ScanPageDocument, variables: { where, first: size, after } });
  const rows = (r.data?.scans.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const info = r.data?.scans.pageInfo;
  const pager = (
    <Space>
      <Button icon={<LeftOutlined />} disabled={before.length === 0} onClick={() => {
        setAfter(before[before.length - 1]);
        setBefore(before.slice(0, -1));
      }}>
        {t('scans.prev')}
      </Button>
      <Typography.Text data-testid="page-no">{t('scans.pageNo', { n: before.length + 1 })}</Typography.Text>
      <Button disabled={!info?.hasNextPage} onClick={() => {
        setBefore([...before, after]);
        setAfter(info?.endCursor ?? null);
      }}>
        {t('scans.next')} <RightOutlined />
      </Button>
      <Select
        value={size}
        onChange={onSize}
        options={pageSizes.map((n) => ({ value: n, label: t('scans.pageSize', { n }) }))}
      />
    </Space>
  );
  return (
    <>
      <ErrorAlert error={r.error} />
      <Table<ScanRowFragment>
        rowKey="id"
        size="small"
        loading={r.fetching}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('scans.empty') }}
        rowClassName={(s) => (abnormal(s) ? 'scan-abnormal' : '')}
        onRow={(s) => ({ 'data-abnormal': abnormal(s) ? 'true' : 'false' }) as React.HTMLAttributes<HTMLElement>}
      />
      <div style={{ marginTop: 12 }}>{pager}</div>
    </>
  );
}

export default function ScansPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const where = useMemo(() => whereOf(new URLSearchParams(key)), [key]);
  const size = pageSizes.includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;
  const filterKey = JSON.stringify(where);
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('scans.title')}
        </Typography.Title>
        <Space wrap>
          <CountButton key={filterKey} where={where} />
          {access.can('scan', 'export') && <ExportScans where={where} />}
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">{t('scans.hint')}</Typography.Paragraph>
      <Card size="small">
        <Filters params={params} setParams={setParams} />
        <ScanList
          key={filterKey + size}
          where={where}
          size={size}
          onSize={(v) => {
            const next = new URLSearchParams(params);
            next.set('size', String(v));
            setParams(next);
          }}
        />
      </Card>
    </>
  );
}
