// /accounts: my subordinate accounts as a tree (DESIGN §4, the account
// tree), creating and replacing by role as allowed, disabling alone or with
// every derived account, activating where the server allows (the direct
// superior), filters by status and reason, the reactivation inbox, and the
// accounts waiting for my own consent.
import './locale';
import { useMemo, useState } from 'react';
import { Badge, Button, Card, Select, Space, Table, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useSearchParams } from 'react-router-dom';
import { graphql } from '../../gql';
import type { AccountDisabledReason, AccountRowFragment, AccountStatus, AccountWhereInput } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import { useViewer } from '../../viewer';
import { AccountLevel, RowActionsContext, useAccountColumns, type RowActions } from './AccountTable';
import { CreateAccountModal, ReplaceAccountModal } from './AccountForms';
import { ActivateModal, DisableModal } from './StatusModals';
import AccountDetails from './AccountDetails';
import Reactivations, { usePendingReactivations } from './Reactivations';
import PendingBindings from './PendingBindings';

const FilteredAccountsDocument = graphql(`
  query FilteredAccounts($where: AccountWhereInput!, $after: Cursor) {
    accounts(first: 50, after: $after, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {
      totalCount
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
`);

// An account a link names (/accounts?account=<id>, from /scans' scanner):
// its details open over the page.
const LinkedAccountDocument = graphql(`
  query LinkedAccount($id: ID!) {
    node(id: $id) {
      ... on Account {
        ...AccountRow
      }
    }
  }
`);

const statuses: AccountStatus[] = ['ACTIVE', 'DISABLED'];
const reasons: AccountDisabledReason[] = ['MANUAL', 'CASCADE', 'SILENT', 'GEOFENCE', 'CODE_NOT_GREEN', 'PENDING_CONSENT'];

function FilteredAccounts({ where }: { where: AccountWhereInput }) {
  const { t } = useTranslation();
  const columns = useAccountColumns();
  const [after, setAfter] = useState<string | null>(null);
  const [r] = useQuery({ query: FilteredAccountsDocument, variables: { where, after } });
  const rows = (r.data?.accounts.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const info = r.data?.accounts.pageInfo;
  return (
    <>
      <ErrorAlert error={r.error} />
      <Typography.Text type="secondary">
        {t('accounts.filteredHint')}
        {r.data ? ` · ${r.data.accounts.totalCount}` : ''}
      </Typography.Text>
      <Table<AccountRowFragment>
        rowKey="id"
        size="small"
        style={{ marginTop: 8 }}
        loading={r.fetching && !r.data}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      {info?.hasNextPage && (
        <Button style={{ marginTop: 8 }} onClick={() => setAfter(info.endCursor ?? null)}>
          {t('accounts.more')}
        </Button>
      )}
    </>
  );
}

export default function AccountsPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const { viewer } = useViewer();
  const acting = viewer?.acting;
  const [status, setStatus] = useState<AccountStatus | undefined>();
  const [reason, setReason] = useState<AccountDisabledReason | undefined>();
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const [details, setDetails] = useState<AccountRowFragment | null>(null);
  const [replacing, setReplacing] = useState<AccountRowFragment | null>(null);
  const [disabling, setDisabling] = useState<AccountRowFragment | null>(null);
  const [activating, setActivating] = useState<AccountRowFragment | null>(null);
  const [inbox] = usePendingReactivations();
  const [params, setParams] = useSearchParams();
  const linkedID = params.get('account');
  const [linked] = useQuery({ query: LinkedAccountDocument, variables: { id: linkedID ?? '' }, pause: !linkedID });
  const linkedAccount = linked.data?.node && 'role' in linked.data.node ? (linked.data.node as AccountRowFragment) : null;
  const actions: RowActions | null = useMemo(
    () =>
      acting
        ? { actingId: acting.id, details: setDetails, replace: setReplacing, disable: setDisabling, activate: setActivating }
        : null,
    [acting],
  );
  const where: AccountWhereInput | null = useMemo(() => {
    if (!acting || (!status && !reason)) return null;
    // The scope filter keeps the list to the acting account's tree (and the
    // user's own accounts, left out here).
    return { idNEQ: acting.id, ...(status ? { status } : {}), ...(reason ? { disabledReason: reason } : {}) };
  }, [acting, status, reason]);
  if (!acting || !actions) return null;
  const initiator = acting.role === 'INITIATOR';
  const mayCreate = ['INTERMEDIATE', 'ORDINARY', 'OFFICIAL', 'GRID_WORKER'].some((r) => access.canCreateAccount(r));
  const pendingCount = inbox.data?.pendingReactivations.totalCount ?? 0;

  const treeTab = (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('accounts.filterStatus')}
          value={status}
          onChange={setStatus}
          options={statuses.map((s) => ({ value: s, label: enumLabel('AccountStatus', s) }))}
          data-testid="filter-status"
        />
        <Select
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t('accounts.filterReason')}
          value={reason}
          onChange={setReason}
          options={reasons.map((s) => ({ value: s, label: enumLabel('AccountDisabledReason', s) }))}
          data-testid="filter-reason"
        />
      </Space>
      {where ? <FilteredAccounts key={JSON.stringify(where) + version} where={where} /> : <AccountLevel parentId={acting.id} version={version} />}
    </>
  );

  return (
    <RowActionsContext.Provider value={actions}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accounts.title')}
        </Typography.Title>
        {mayCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('accounts.create')}
          </Button>
        )}
      </Space>
      <PendingBindings />
      <Card size="small">
        <Tabs
          items={[
            { key: 'tree', label: t('accounts.treeTab'), children: treeTab },
            {
              key: 'inbox',
              label: (
                <Badge count={pendingCount} size="small" offset={[8, -2]}>
                  {t('accounts.inboxTab')}
                </Badge>
              ),
              children: <Reactivations />,
            },
          ]}
        />
      </Card>
      <CreateAccountModal
        open={creating}
        initiator={initiator}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          setVersion((v) => v + 1);
        }}
      />
      <ReplaceAccountModal account={replacing} initiator={initiator} onClose={() => setReplacing(null)} />
      {disabling && <DisableModal account={disabling} onClose={() => setDisabling(null)} />}
      {activating && <ActivateModal account={activating} onClose={() => setActivating(null)} />}
      <AccountDetails
        account={details ?? (linkedID ? linkedAccount : null)}
        onClose={() => {
          setDetails(null);
          if (linkedID) setParams({});
        }}
      />
    </RowActionsContext.Provider>
  );
}
