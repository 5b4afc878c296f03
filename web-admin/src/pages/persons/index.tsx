// /persons/:id: one person as an official sees them (查看详情, seed 004
// annex note 2): the colour and its history with each change's cause
// (seed 001 §4), check-ins, test results and scans; setRisk for officials
// (the only way out of RED); the audited unmasking with a PII_VIEWER grant
// (seed 001 §11: 须经…授权后, 方可查阅相关人员的信息).
import './locale';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import { AimOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { PersonDetailsFragment } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import { label } from './labels';
import ColourTag from '../../components/ColourTag';
import Temperature from '../../components/Temperature';
import { fmtTime } from './time';
import PersonScans from './PersonScans';
import SetRisk from './SetRisk';
import Unmask, { type Clear } from './Unmask';

graphql(`
  fragment PersonDetails on Person {
    id
    nameMasked
    idType
    idNumberMasked
    phoneMasked
    addressMasked
    colour
    risk
    quarantineEnds
    symptomatic
    lastTemperature
    lastTemperatureAt
    ruleVersion
    validTestWithin7Days
    residenceRegion {
      id
      name
    }
    colourHistory {
      id
      from
      to
      cause
      causeClass
      ruleVersion
      at
    }
  }
`);

const PersonDocument = graphql(`
  query PersonPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Person {
        ...PersonDetails
        testResults(first: 30, orderBy: [{ field: SAMPLED_AT, direction: DESC }]) {
          totalCount
          edges {
            node {
              id
              kind
              result
              sampledAt
              source
            }
          }
        }
        declarations(first: 30, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
          totalCount
          edges {
            node {
              id
              day
              revision
              symptoms
              temperature
              travel
              createdAt
              visits {
                region
                date
              }
            }
          }
        }
      }
    }
  }
`);


function ColourHistory({ p }: { p: PersonDetailsFragment }) {
  const { t } = useTranslation();
  if (p.colourHistory.length === 0) return <Typography.Text type="secondary">{t('persons.historyEmpty')}</Typography.Text>;
  return (
    <Timeline
      data-testid="colour-history"
      items={p.colourHistory.map((c) => ({
        key: c.id,
        color: c.to === 'RED' ? 'red' : c.to === 'GREEN' ? 'green' : c.to === 'ORANGE' ? 'orange' : 'gold',
        children: (
          <Space direction="vertical" size={0}>
            <Space wrap>
              <Typography.Text strong>{fmtTime(c.at)}</Typography.Text>
              <ColourTag colour={c.from} />→<ColourTag colour={c.to} />
              <Typography.Text type="secondary">{t('persons.ruleVersion')} {c.ruleVersion}</Typography.Text>
            </Space>
            <Typography.Text>
              {/* The class in the reader's language; the server's detail
                  (English) on hover. */}
              {t('persons.cause')}：
              <Tooltip title={`${t('persons.causeDetail')}：${c.cause}`}>
                <span data-testid="cause-class">{t(`persons.causeClass.${c.causeClass}`)}</span>
              </Tooltip>
            </Typography.Text>
          </Space>
        ),
      }))}
    />
  );
}

function Overview({ p, clear }: { p: PersonDetailsFragment; clear: Clear | null }) {
  const { t } = useTranslation();
  const yesNo = (b: boolean) => (b ? t('persons.yes') : t('persons.no'));
  return (
    <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
      <Descriptions.Item label={t('persons.name')}>
        <span data-testid="person-name">{clear?.name ?? p.nameMasked}</span>
      </Descriptions.Item>
      <Descriptions.Item label={`${t('persons.idNumber')}（${label('PersonIDType', p.idType)}）`}>
        {clear?.idNumber ?? p.idNumberMasked}
      </Descriptions.Item>
      <Descriptions.Item label={t('persons.phone')}>{(clear ? clear.phone : p.phoneMasked) ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('persons.residence')}>{p.residenceRegion?.name ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('persons.address')}>{p.addressMasked ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('persons.risk')}>{label('PersonRisk', p.risk)}</Descriptions.Item>
      <Descriptions.Item label={t('persons.quarantineEnds')}>{fmtTime(p.quarantineEnds)}</Descriptions.Item>
      <Descriptions.Item label={t('persons.symptomatic')}>{yesNo(p.symptomatic)}</Descriptions.Item>
      <Descriptions.Item label={t('persons.lastTemperature')}>
        {p.lastTemperature != null ? (
          <>
            <Temperature value={p.lastTemperature} /> · {fmtTime(p.lastTemperatureAt)}
          </>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('persons.validTest')}>{yesNo(p.validTestWithin7Days)}</Descriptions.Item>
    </Descriptions>
  );
}

export default function PersonPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const access = useAccess();
  const [clear, setClear] = useState<Clear | null>(null);
  const [r] = useQuery({ query: PersonDocument, variables: { id }, requestPolicy: 'cache-and-network' });
  const node = r.data?.node;
  if (r.fetching && !r.data) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!node || node.__typename !== 'Person') {
    return (
      <>
        <ErrorAlert error={r.error} />
        <Result status="404" title={t('persons.notFound')} extra={<Button onClick={() => navigate(-1)}>{t('persons.back')}</Button>} />
      </>
    );
  }
  const p = node;
  const mayTrace = access.can('person', 'trace');
  const maySetRisk = access.can('person', 'setrisk');
  const tests = (p.testResults.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const decls = (p.declarations.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('persons.title')} · {clear?.name ?? p.nameMasked}
          </Typography.Title>
          <ColourTag colour={p.colour} big />
        </Space>
        <Space wrap>
          <Unmask personId={p.id} clear={clear} onClear={setClear} />
          {maySetRisk && <SetRisk p={p} />}
          <Link to={`/tracing?person=${encodeURIComponent(p.id)}`} data-testid="trace-link">
            <Button icon={<AimOutlined />} type={mayTrace ? 'default' : 'dashed'}>
              {t('persons.trace')}
            </Button>
          </Link>
        </Space>
      </Space>
      <ErrorAlert error={r.error} />
      {clear && (
        <Alert
          type="warning"
          showIcon
          data-testid="unmask-banner"
          message={t('persons.unmaskRecorded', { at: dayjs(clear.recordedAt).format('YYYY-MM-DD HH:mm:ss'), reason: clear.reason })}
          action={<Button size="small" onClick={() => setClear(null)}>{t('persons.unmaskHide')}</Button>}
        />
      )}
      {p.colour === 'RED' && <Alert type="error" showIcon message={maySetRisk ? t('persons.redRule') : t('persons.redRuleNoRight')} />}
      <Card size="small">
        <Overview p={p} clear={clear} />
      </Card>
      <Card size="small" title={t('persons.history')}>
        <ColourHistory p={p} />
      </Card>
      <Card size="small" title={`${t('persons.declarations')}（${p.declarations.totalCount}）`}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={decls}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('persons.declarationsEmpty') }}
          columns={[
            { title: t('persons.day'), key: 'day', render: (_, d) => <Space>{d.day}{d.revision > 0 && <Tag>{t('persons.revision')} {d.revision}</Tag>}</Space> },
            { title: t('persons.temperature'), key: 'temp', render: (_, d) => <Temperature value={d.temperature} /> },
            { title: t('persons.symptoms'), key: 'sym', render: (_, d) => (d.symptoms?.length ? d.symptoms.join('、') : '—') },
            { title: t('persons.visits'), key: 'visits', render: (_, d) => (d.visits.length ? d.visits.map((v) => `${v.region}（${v.date}）`).join('、') : '—') },
            { title: t('persons.travel'), dataIndex: 'travel', render: (v: string) => v || '—' },
            { title: t('persons.at'), key: 'at', render: (_, d) => fmtTime(d.createdAt) },
          ]}
        />
      </Card>
      <Card size="small" title={`${t('persons.tests')}（${p.testResults.totalCount}）`}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={tests}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('persons.testsEmpty') }}
          columns={[
            { title: t('persons.sampledAt'), key: 'at', render: (_, x) => fmtTime(x.sampledAt) },
            { title: t('persons.testKind'), key: 'kind', render: (_, x) => label('TestResultKind', x.kind) },
            {
              title: t('persons.testResult'),
              key: 'result',
              render: (_, x) => <Tag color={x.result === 'POSITIVE' ? 'red' : 'green'}>{label('TestResultResult', x.result)}</Tag>,
            },
            { title: t('persons.source'), dataIndex: 'source' },
          ]}
        />
      </Card>
      <PersonScans personId={p.id} />
    </Space>
  );
}
