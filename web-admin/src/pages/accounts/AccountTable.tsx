// The account tree (DESIGN §4: superior → subordinates): one table per
// level, each level loaded only when its row is expanded, so a SENIOR with
// thousands of scanners below costs one page at a time.
import { createContext, useContext, useEffect, useState } from 'react';
import { Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { AccountRowFragment } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import EnumTag from '../../components/EnumTag';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import { rolesWithSubordinates } from './fragments';
import './locale';

const SubordinatesDocument = graphql(`
  query AccountSubordinates($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Account {
        id
        subordinates(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
          edges {
            node {
              ...AccountRow
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

export interface RowActions {
  actingId: string;
  details: (a: AccountRowFragment) => void;
  replace: (a: AccountRowFragment) => void;
  disable: (a: AccountRowFragment) => void;
  activate: (a: AccountRowFragment) => void;
}

export const RowActionsContext = createContext<RowActions | null>(null);

export function scopeName(a: AccountRowFragment): string {
  if (a.scopeSite) return `${a.scopeSite.name} · ${a.scopeSite.region.name}`;
  return a.scopeRegion?.name ?? '';
}

export function StatusCell({ a }: { a: AccountRowFragment }) {
  if (a.status === 'ACTIVE') return <Tag color="green">{enumLabel('AccountStatus', 'ACTIVE')}</Tag>;
  const pending = a.disabledReason === 'PENDING_CONSENT';
  return (
    <Space size={4} wrap>
      <Tag color={pending ? 'gold' : 'red'}>{enumLabel('AccountStatus', 'DISABLED')}</Tag>
      <EnumTag of="AccountDisabledReason" value={a.disabledReason} color={pending ? 'gold' : undefined} />
    </Space>
  );
}

export function useAccountColumns(): ColumnsType<AccountRowFragment> {
  const { t } = useTranslation();
  const access = useAccess();
  const actions = useContext(RowActionsContext)!;
  return [
    {
      title: t('accounts.account'),
      key: 'account',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <EnumTag of="AccountRole" value={a.role} color="blue" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {scopeName(a)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('accounts.holder'),
      key: 'holder',
      render: (_, a) =>
        a.holder ? (
          <Space direction="vertical" size={0}>
            <span>{a.holder.name}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.holder.phoneMasked}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('accounts.holderHidden')}</Typography.Text>
        ),
    },
    { title: t('accounts.status'), key: 'status', render: (_, a) => <StatusCell a={a} /> },
    {
      title: t('accounts.lastActive'),
      key: 'lastActive',
      responsive: ['md'],
      render: (_, a) => (a.lastActiveAt ? dayjs(a.lastActiveAt).format('YYYY-MM-DD HH:mm') : t('accounts.never')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, a) => {
        const mayActivate =
          a.status === 'DISABLED' &&
          a.disabledReason !== 'PENDING_CONSENT' &&
          a.superior?.id === actions.actingId &&
          access.can('account', 'activate');
        return (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => actions.details(a)}>
              {t('accounts.details')}
            </Button>
            {access.can(`account:${a.role}`, 'replace') && (
              <Button type="link" size="small" onClick={() => actions.replace(a)}>
                {t('accounts.replace')}
              </Button>
            )}
            {a.status === 'ACTIVE' && access.can('account', 'disable') && (
              <Button type="link" size="small" danger onClick={() => actions.disable(a)}>
                {t('accounts.disable')}
              </Button>
            )}
            {mayActivate && (
              <Button type="link" size="small" onClick={() => actions.activate(a)}>
                {t('accounts.activate')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];
}

/** The subordinates of one account, each expandable into its own. */
export function AccountLevel({ parentId, version = 0 }: { parentId: string; version?: number }) {
  const { t } = useTranslation();
  const columns = useAccountColumns();
  // Later pages: graphcache's relayPagination (src/client.ts) merges them
  // into the same list, so the query with the last cursor answers them all.
  const [after, setAfter] = useState<string | null>(null);
  const [r, reexecute] = useQuery({ query: SubordinatesDocument, variables: { id: parentId, after } });
  useEffect(() => {
    if (version > 0) reexecute({ requestPolicy: 'network-only' });
  }, [version, reexecute]);
  const node = r.data?.node;
  const conn = node && 'subordinates' in node ? node.subordinates : null;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <>
      <ErrorAlert error={r.error} />
      <Table<AccountRowFragment>
        rowKey="id"
        size="small"
        loading={r.fetching && !r.data}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('accounts.noSubordinates') }}
        expandable={{
          rowExpandable: (a) => rolesWithSubordinates.has(a.role),
          expandedRowRender: (a) => <AccountLevel parentId={a.id} />,
        }}
      />
      {conn?.pageInfo.hasNextPage && (
        <Button
          style={{ marginTop: 8 }}
          onClick={() => setAfter(conn.pageInfo.endCursor ?? null)}
        >
          {t('accounts.more')}
        </Button>
      )}
    </>
  );
}
