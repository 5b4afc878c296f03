// /tracing: with a TRACER grant (seed 001 §11: 须经…授权后, 方可查阅相关人员
// 的信息; schema/tracing.graphqls), a person's trajectory on a timeline and
// in a table, and the people scanned at the same sites within ± the window,
// each exported as CSV built in the browser. The person comes from
// /tracing?person=<id> (the link on /persons/:id). Without a grant the page
// says how to obtain one.
import './locale';
import { Alert, Button, Card, Empty, Form, Input, Result, Select, Space, Table, Tag, Timeline, Typography, DatePicker } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import type { TraceScanFragment, ContactRowFragment } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import { label } from '../persons/labels';
import ColourTag from '../../components/ColourTag';
import Temperature from '../../components/Temperature';
import '../../components/tables.css';
import { fmtTime } from '../persons/time';
import { csvText, downloadText } from './csv';

const MyGrantsDocument = graphql(`
  query MyTracerGrants {
    viewer {
      grants {
        id
        kind
        expiresAt
        revokedAt
        reason
        caseNumber
        scopeRegion {
          id
          name
        }
      }
    }
  }
`);

graphql(`
  fragment TraceScan on Scan {
    id
    serverTime
    siteName
    scannerName
    method
    colour
    temperature
    fever
    decision
  }
`);

graphql(`
  fragment ContactRow on Contact {
    nameMasked
    idNumberMasked
    siteName
    at
    personAt
    minutesApart
    person {
      id
    }
  }
`);

graphql(`
  fragment TraceGrant on Grant {
    id
    kind
    reason
    caseNumber
    expiresAt
    scopeRegion {
      id
      name
    }
  }
`);

const TrajectoryDocument = graphql(`
  query Trajectory($person: ID!, $from: Time!, $to: Time!, $grant: ID) {
    personTrajectory(person: $person, from: $from, to: $to, grant: $grant) {
      person {
        id
        nameMasked
        colour
      }
      grant {
        ...TraceGrant
      }
      scans(first: 1000) {
        edges {
          node {
            ...TraceScan
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

const CoLocatedDocument = graphql(`
  query CoLocated($person: ID!, $from: Time!, $to: Time!, $window: Int!, $grant: ID) {
    coLocated(person: $person, from: $from, to: $to, windowMinutes: $window, grant: $grant) {
      grant {
        id
      }
      contacts {
        ...ContactRow
      }
    }
  }
`);

interface Ask {
  person: string;
  from: string;
  to: string;
  grant: string | null;
}

const windows = [5, 15, 30, 60, 120, 240];

function NoGrant() {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <Result
      status="warning"
      title={t('tracing.noGrantTitle')}
      subTitle={<span data-testid="tracing-howto">{t('tracing.noGrant')}</span>}
      extra={
        access.can('grant', 'give') ? (
          <Space direction="vertical">
            <Typography.Text>{t('tracing.noGrantGive')}</Typography.Text>
            <Link to="/grants">
              <Button type="primary">{t('tracing.grantsLink')}</Button>
            </Link>
          </Space>
        ) : null
      }
    />
  );
}

function stamp() {
  return dayjs().format('YYYYMMDD-HHmm');
}

function TrajectoryCard({ ask }: { ask: Ask }) {
  const { t } = useTranslation();
  const [r] = useQuery({ query: TrajectoryDocument, variables: ask, requestPolicy: 'network-only' });
  const tr = r.data?.personTrajectory;
  const rows: TraceScanFragment[] = (tr?.scans.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const exportCsv = () => {
    const header = [t('tracing.at'), t('tracing.site'), t('tracing.scanner'), t('tracing.method'), t('tracing.colour'), t('tracing.temperature'), t('tracing.decision')];
    const body = rows.map((s) => [
      dayjs(s.serverTime).format('YYYY-MM-DD HH:mm:ss'),
      s.siteName,
      s.scannerName,
      label('ScanMethod', s.method),
      label('Colour', s.colour),
      s.temperature.toFixed(1),
      label('ScanDecision', s.decision),
    ]);
    downloadText(`${t('tracing.csvTrajectory')}-${ask.person}-${stamp()}.csv`, csvText(header, body));
  };
  const g = tr?.grant;
  return (
    <Card
      size="small"
      title={`${t('tracing.trajectory')}${tr ? ` · ${tr.person.nameMasked}` : ''}`}
      loading={r.fetching && !r.data}
      extra={
        <Button icon={<DownloadOutlined />} disabled={!tr || rows.length === 0} onClick={exportCsv} data-testid="trajectory-csv">
          {t('tracing.exportCsv')}
        </Button>
      }
    >
      <ErrorAlert error={r.error} />
      {g && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('tracing.underGrant', {
            kind: enumLabel('GrantKind', g.kind),
            region: g.scopeRegion?.name ?? '—',
            purpose: g.caseNumber ?? g.reason,
            expires: fmtTime(g.expiresAt),
          })}
          description={t('tracing.audited')}
        />
      )}
      {tr && rows.length === 0 && <Empty description={t('tracing.trajectoryEmpty')} />}
      {rows.length > 0 && (
        <>
          {tr?.scans.pageInfo.hasNextPage && <Alert type="warning" message={t('tracing.truncated', { n: rows.length })} style={{ marginBottom: 12 }} />}
          <Timeline
            data-testid="trajectory-timeline"
            style={{ marginTop: 8, maxHeight: 360, overflowY: 'auto', paddingTop: 8 }}
            items={rows.map((s) => ({
              key: s.id,
              color: s.fever || s.decision === 'DENY' ? 'red' : 'blue',
              children: (
                <Space wrap>
                  <Typography.Text strong>{fmtTime(s.serverTime)}</Typography.Text>
                  <span>{s.siteName}</span>
                  <ColourTag colour={s.colour} />
                  <Temperature value={s.temperature} fever={s.fever} />
                </Space>
              ),
            }))}
          />
          <Table<TraceScanFragment>
            rowKey="id"
            size="small"
            data-testid="trajectory-table"
            dataSource={rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('tracing.count', { n }) }}
            scroll={{ x: 'max-content' }}
            rowClassName={(s) => (s.fever || s.decision === 'DENY' ? 'scan-abnormal' : '')}
            columns={[
              { title: t('tracing.at'), key: 'at', render: (_, s) => fmtTime(s.serverTime) },
              { title: t('tracing.site'), dataIndex: 'siteName' },
              { title: t('tracing.scanner'), dataIndex: 'scannerName' },
              { title: t('tracing.method'), key: 'method', render: (_, s) => label('ScanMethod', s.method) },
              { title: t('tracing.colour'), key: 'colour', render: (_, s) => <ColourTag colour={s.colour} /> },
              { title: t('tracing.temperature'), key: 'temp', render: (_, s) => <Temperature value={s.temperature} fever={s.fever} /> },
              {
                title: t('tracing.decision'),
                key: 'decision',
                render: (_, s) => <Tag color={s.decision === 'DENY' ? 'red' : 'green'}>{label('ScanDecision', s.decision)}</Tag>,
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}

function ContactsCard({ ask }: { ask: Ask }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(30);
  const [r] = useQuery({ query: CoLocatedDocument, variables: { ...ask, window: minutes }, requestPolicy: 'network-only' });
  const rows: ContactRowFragment[] = r.data?.coLocated.contacts ?? [];
  const exportCsv = () => {
    const header = [t('tracing.name'), t('tracing.idNumber'), t('tracing.site'), t('tracing.contactAt'), t('tracing.personAt'), t('tracing.apart')];
    const body = rows.map((c) => [
      c.nameMasked,
      c.idNumberMasked,
      c.siteName,
      dayjs(c.at).format('YYYY-MM-DD HH:mm:ss'),
      dayjs(c.personAt).format('YYYY-MM-DD HH:mm:ss'),
      c.minutesApart.toFixed(1),
    ]);
    downloadText(`${t('tracing.csvContacts')}-${ask.person}-${minutes}min-${stamp()}.csv`, csvText(header, body));
  };
  return (
    <Card
      size="small"
      title={t('tracing.contacts')}
      extra={
        <Space wrap>
          <span>{t('tracing.window')} ±</span>
          <Select
            data-testid="window-select"
            value={minutes}
            onChange={setMinutes}
            style={{ width: 110 }}
            options={windows.map((n) => ({ value: n, label: t('tracing.minutes', { n }) }))}
          />
          <Button icon={<DownloadOutlined />} disabled={!r.data || rows.length === 0} onClick={exportCsv} data-testid="contacts-csv">
            {t('tracing.exportCsv')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={r.error} />
      <Table<ContactRowFragment>
        rowKey={(c) => `${c.idNumberMasked}|${c.at}|${c.personAt}|${c.siteName}`}
        size="small"
        data-testid="contacts-table"
        loading={r.fetching}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('tracing.count', { n }) }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tracing.contactsEmpty') }}
        columns={[
          { title: t('tracing.name'), dataIndex: 'nameMasked' },
          { title: t('tracing.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('tracing.site'), dataIndex: 'siteName' },
          { title: t('tracing.contactAt'), key: 'at', render: (_, c) => fmtTime(c.at) },
          { title: t('tracing.personAt'), key: 'pat', render: (_, c) => fmtTime(c.personAt) },
          { title: t('tracing.apart'), key: 'apart', render: (_, c) => c.minutesApart.toFixed(1) },
          {
            title: t('tracing.detail'),
            key: 'detail',
            render: (_, c) => (c.person ? <Link to={`/persons/${encodeURIComponent(c.person.id)}`}>{t('tracing.detail')}</Link> : '—'),
          },
        ]}
      />
    </Card>
  );
}

export default function TracingPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const person = params.get('person') ?? '';
  const [g] = useQuery({ query: MyGrantsDocument, requestPolicy: 'cache-and-network' });
  const now = useMemo(() => dayjs(), []);
  const tracers = (g.data?.viewer?.grants ?? []).filter((x) => x.kind === 'TRACER' && !x.revokedAt && dayjs(x.expiresAt).isAfter(now));
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [now.subtract(14, 'day').startOf('day'), now.endOf('minute')]);
  const [grant, setGrant] = useState<string | null>(null);
  const [typed, setTyped] = useState(person);
  // The question asked: changed only by 查询, so typing does not query.
  const [ask, setAsk] = useState<Ask | null>(() =>
    person ? { person, from: range[0].toISOString(), to: range[1].toISOString(), grant: null } : null,
  );
  if (g.fetching && !g.data) return <Card loading />;
  if (g.data && tracers.length === 0) return <NoGrant />;
  const submit = () => {
    const p = typed.trim();
    if (!p) return;
    if (p !== person) setParams({ person: p });
    setAsk({ person: p, from: range[0].toISOString(), to: range[1].toISOString(), grant });
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('tracing.title')}
      </Typography.Title>
      <ErrorAlert error={g.error} />
      <Card size="small">
        <Form layout="vertical" onFinish={submit}>
          <Space wrap align="end">
            <Form.Item label={t('tracing.person')} extra={t('tracing.personHint')} style={{ marginBottom: 0 }}>
              <Input value={typed} onChange={(e) => setTyped(e.target.value)} style={{ width: 200 }} data-testid="tracing-person" />
            </Form.Item>
            <Form.Item label={t('tracing.range')} extra={t('tracing.rangeHint')} style={{ marginBottom: 0 }}>
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                value={range}
                allowClear={false}
                onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              />
            </Form.Item>
            <Form.Item label={t('tracing.grant')} style={{ marginBottom: 0 }}>
              <Select
                value={grant ?? ''}
                onChange={(v) => setGrant(v || null)}
                style={{ width: 280 }}
                options={[
                  { value: '', label: t('tracing.grantAuto') },
                  ...tracers.map((x) => ({
                    value: x.id,
                    label: `${x.scopeRegion?.name ?? ''} · ${x.caseNumber ?? x.reason} · ${fmtTime(x.expiresAt)}`,
                  })),
                ]}
              />
            </Form.Item>
            <Form.Item style={{ marginBottom: 0 }}>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('tracing.query')}
              </Button>
            </Form.Item>
          </Space>
        </Form>
      </Card>
      {ask ? (
        <>
          <TrajectoryCard ask={ask} />
          <ContactsCard ask={ask} />
        </>
      ) : (
        <Empty description={t('tracing.pickPerson')} />
      )}
    </Space>
  );
}
