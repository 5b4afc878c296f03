// /grants: the INITIATOR gives and revokes time-limited grants (seed 001
// §11: 须经省…授权后, 方可查阅相关人员的信息), each with its expiry, region or
// sector, and purpose.
import './locale';
import { useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { GrantRowFragment } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import EnumTag from '../../components/EnumTag';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { useAccess } from '../../useAccess';
import GiveGrant from './GiveGrant';

graphql(`
  fragment GrantRow on Grant {
    id
    createdAt
    kind
    sector
    expiresAt
    revokedAt
    reason
    caseNumber
    scopeRegion {
      id
      name
    }
    alert {
      id
      place
      raisedAt
    }
    account {
      id
      role
      scopeRegion {
        id
        name
      }
      scopeSite {
        id
        name
      }
      holder {
        id
        name
      }
    }
  }
`);

const GrantsDocument = graphql(`
  query Grants($where: GrantWhereInput, $after: Cursor) {
    grants(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          ...GrantRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const RevokeGrantDocument = graphql(`
  mutation RevokeGrant($id: ID!) {
    revokeGrant(id: $id) {
      ...GrantRow
    }
  }
`);

const fmt = (s: string) => dayjs(s).format('YYYY-MM-DD HH:mm');

function GrantState({ g }: { g: GrantRowFragment }) {
  const { t } = useTranslation();
  if (g.revokedAt) return <Tag>{t('grants.revoked')}</Tag>;
  if (dayjs(g.expiresAt).isBefore(dayjs())) return <Tag color="default">{t('grants.expired')}</Tag>;
  return <Tag color="green">{t('grants.active')}</Tag>;
}

export default function GrantsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const [giving, setGiving] = useState(false);
  const [activeOnly, setActiveOnly] = useState(false);
  const [after, setAfter] = useState<string | null>(null);
  // Fixed for the page's life so the variables (and the cache key) stay put.
  const [now] = useState(() => dayjs().toISOString());
  const where = activeOnly ? { revokedAtIsNil: true, expiresAtGT: now } : {};
  const [r, reexecute] = useQuery({ query: GrantsDocument, variables: { where, after }, requestPolicy: 'cache-and-network' });
  const [{ fetching }, revoke] = useMutation(RevokeGrantDocument);
  const rows = (r.data?.grants.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const info = r.data?.grants.pageInfo;
  const mayRevoke = access.can('grant', 'revoke');
  const doRevoke = async (g: GrantRowFragment) => {
    const res = await revoke({ id: g.id });
    if (res.error) message.error(errorText(res.error));
    else message.success(t('grants.revokedOk'));
  };
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('grants.title')}
        </Typography.Title>
        <Space wrap>
          <Space>
            <Switch checked={activeOnly} onChange={(v) => { setActiveOnly(v); setAfter(null); }} />
            {t('grants.filterActive')}
          </Space>
          {access.can('grant', 'give') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setGiving(true)}>
              {t('grants.give')}
            </Button>
          )}
        </Space>
      </Space>
      <Card size="small">
        <ErrorAlert error={r.error} />
        <Table<GrantRowFragment>
          rowKey="id"
          size="small"
          loading={r.fetching && !r.data}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('grants.empty') }}
          columns={[
            { title: t('grants.kind'), key: 'kind', render: (_, g) => <EnumTag of="GrantKind" value={g.kind} color="purple" /> },
            {
              title: t('grants.account'),
              key: 'account',
              render: (_, g) => (
                <Space direction="vertical" size={0}>
                  <span>{enumLabel('AccountRole', g.account.role)}{g.account.holder ? ` · ${g.account.holder.name}` : ''}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {g.account.scopeSite?.name ?? g.account.scopeRegion?.name}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: `${t('grants.region')} / ${t('grants.sector')}`,
              key: 'cover',
              render: (_, g) => (g.kind === 'SECTOR_STATISTICS' ? <EnumTag of="Sector" value={g.sector} /> : g.scopeRegion?.name ?? '—'),
            },
            {
              title: t('grants.purpose'),
              key: 'purpose',
              render: (_, g) => (
                <Space direction="vertical" size={0}>
                  {g.caseNumber && <span>{g.caseNumber}</span>}
                  {g.alert && <span>{`${t('grants.alert')}：${g.alert.place} ${fmt(g.alert.raisedAt)}`}</span>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {g.reason}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('grants.expiresAt'), key: 'exp', render: (_, g) => fmt(g.expiresAt) },
            { title: t('grants.status'), key: 'state', render: (_, g) => <GrantState g={g} /> },
            {
              title: t('common.actions'),
              key: 'x',
              render: (_, g) =>
                mayRevoke &&
                !g.revokedAt &&
                dayjs(g.expiresAt).isAfter(dayjs()) && (
                  <Popconfirm title={t('grants.revokeConfirm')} onConfirm={() => doRevoke(g)}>
                    <Button size="small" danger loading={fetching}>
                      {t('grants.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
        {info?.hasNextPage && (
          <Button style={{ marginTop: 8 }} onClick={() => setAfter(info.endCursor ?? null)}>
            {t('grants.more')}
          </Button>
        )}
      </Card>
      {giving && (
        <GiveGrant
          onClose={() => setGiving(false)}
          onGiven={() => {
            setGiving(false);
            setAfter(null);
            reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </>
  );
}
