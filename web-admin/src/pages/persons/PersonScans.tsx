// The person's scans, newest first, keyset paged (Person.scans with the
// cursor of the page before; no count, no offset).
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import ErrorAlert from '../../components/ErrorAlert';
import { label } from './labels';
import ColourTag from '../../components/ColourTag';
import Temperature from '../../components/Temperature';
import { fmtTime } from './time';
import '../../components/tables.css';

const PersonScansDocument = graphql(`
  query PersonScans($id: ID!, $after: Cursor) {
    node(id: $id) {
      __typename
      id
      ... on Person {
        scans(first: 20, after: $after, orderBy: [{ field: SERVER_TIME, direction: DESC }]) {
          edges {
            node {
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

export default function PersonScans({ personId }: { personId: string }) {
  const { t } = useTranslation();
  // The cursors of the pages seen so far: [null, page 2's, page 3's…].
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [r] = useQuery({ query: PersonScansDocument, variables: { id: personId, after }, requestPolicy: 'cache-and-network' });
  const conn = r.data?.node?.__typename === 'Person' ? r.data.node.scans : null;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const info = conn?.pageInfo;
  return (
    <Card
      size="small"
      title={t('persons.scans')}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('persons.page', { n: cursors.length })}</Typography.Text>
          <Button size="small" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('persons.prev')}
          </Button>
          <Button size="small" disabled={!info?.hasNextPage} onClick={() => info?.endCursor && setCursors((c) => [...c, info.endCursor!])}>
            {t('persons.next')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={r.error} />
      <Table
        rowKey="id"
        size="small"
        data-testid="person-scans"
        loading={r.fetching && !r.data}
        pagination={false}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('persons.scansEmpty') }}
        rowClassName={(s) => (s.fever || s.decision === 'DENY' ? 'scan-abnormal' : '')}
        columns={[
          { title: t('persons.serverTime'), key: 'at', render: (_, s) => fmtTime(s.serverTime) },
          { title: t('persons.site'), dataIndex: 'siteName' },
          { title: t('persons.scanner'), dataIndex: 'scannerName' },
          { title: t('persons.method'), key: 'method', render: (_, s) => label('ScanMethod', s.method) },
          { title: t('persons.colour'), key: 'colour', render: (_, s) => <ColourTag colour={s.colour} /> },
          {
            title: t('persons.temperature'),
            key: 'temp',
            render: (_, s) => <Temperature value={s.temperature} fever={s.fever} />,
          },
          {
            title: t('persons.decision'),
            key: 'decision',
            render: (_, s) => <Tag color={s.decision === 'DENY' ? 'red' : 'green'}>{label('ScanDecision', s.decision)}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
