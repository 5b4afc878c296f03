// The reactivation inbox: requests of disabled accounts whose direct
// superior is the acting account (Query.pendingReactivations); approving
// activates the account (seed 001 §10: 须向上一级扫码员提出申请).
import { App, Button, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { PendingReactivationsQuery } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { useAccess } from '../../useAccess';
import { scopeName, StatusCell } from './AccountTable';
import { useActivate } from './StatusModals';
import './locale';

export const PendingReactivationsDocument = graphql(`
  query PendingReactivations {
    pendingReactivations(first: 100) {
      totalCount
      edges {
        node {
          id
          status
          note
          createdAt
          account {
            ...AccountRow
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

type Request = NonNullable<NonNullable<PendingReactivationsQuery['pendingReactivations']['edges']>[number]>['node'];

export function usePendingReactivations() {
  return useQuery({ query: PendingReactivationsDocument, requestPolicy: 'cache-and-network' });
}

export default function Reactivations() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const [r, reexecute] = usePendingReactivations();
  const [{ fetching }, activate] = useActivate();
  const rows = (r.data?.pendingReactivations.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const approve = async (req: NonNullable<Request>) => {
    const res = await activate({ id: req.account.id, cascade: true });
    if (res.error) message.error(errorText(res.error));
    else {
      message.success(t('accounts.activated', { count: res.data?.activateAccount.changed.length ?? 1 }));
      reexecute({ requestPolicy: 'network-only' });
    }
  };
  return (
    <>
      <ErrorAlert error={r.error} />
      <Table
        rowKey="id"
        size="small"
        loading={r.fetching && !r.data}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('accounts.inboxEmpty') }}
        columns={[
          {
            title: t('accounts.account'),
            key: 'a',
            render: (_, q) => `${enumLabel('AccountRole', q.account.role)} · ${scopeName(q.account)}`,
          },
          { title: t('accounts.holder'), key: 'h', render: (_, q) => (q.account.holder ? `${q.account.holder.name} · ${q.account.holder.phoneMasked}` : '—') },
          { title: t('accounts.status'), key: 's', render: (_, q) => <StatusCell a={q.account} /> },
          { title: t('accounts.note'), dataIndex: 'note', key: 'n' },
          { title: t('accounts.requestedAt'), key: 'c', render: (_, q) => dayjs(q.createdAt).format('YYYY-MM-DD HH:mm') },
          {
            title: t('common.actions'),
            key: 'x',
            render: (_, q) =>
              access.can('account', 'activate') && (
                <Button type="primary" size="small" loading={fetching} onClick={() => approve(q)}>
                  {t('accounts.approve')}
                </Button>
              ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('accounts.rejectUnsupported')}
      </Typography.Paragraph>
    </>
  );
}
