// Disabling (alone or with every derived account) and activating (the
// direct superior only) — seed 001 §10: 禁用下一级扫码员或其衍生的全部扫码员账号;
// 由上一级扫码员对其账号进行激活.
import { useState } from 'react';
import { Alert, App, Checkbox, Modal, Radio, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AccountRowFragment, AccountWhereInput } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { scopeName } from './AccountTable';
import './locale';

const DisableAccountDocument = graphql(`
  mutation DisableAccount($id: ID!, $cascade: Boolean!) {
    disableAccount(id: $id, cascade: $cascade) {
      account {
        ...AccountRow
      }
      changed {
        ...AccountRow
      }
    }
  }
`);

const ActivateAccountDocument = graphql(`
  mutation ActivateAccount($id: ID!, $cascade: Boolean!) {
    activateAccount(id: $id, cascade: $cascade) {
      account {
        ...AccountRow
      }
      changed {
        ...AccountRow
      }
    }
  }
`);

// The API has no count of derived accounts; the account tree is at most four
// levels deep (INITIATOR → SENIOR → INTERMEDIATE → ORDINARY, seed 001 §6), so
// "derived from X" is "X is the superior, or the superior's superior, or the
// one above that". Only ACTIVE ones are disabled by a cascade (accounts.Disable).
// (edges and pageInfo are selected for graphcache's relayPagination on
// Query.accounts, src/client.ts, which needs them to answer from the cache.)
const DerivedCountDocument = graphql(`
  query DerivedActiveCount($where: AccountWhereInput!) {
    accounts(first: 1, where: $where) {
      totalCount
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export function derivedWhere(id: string): AccountWhereInput {
  const s1 = { id };
  const s2 = { hasSuperiorWith: [s1] };
  const s3 = { hasSuperiorWith: [s2] };
  return { status: 'ACTIVE', or: [{ hasSuperiorWith: [s1] }, { hasSuperiorWith: [s2] }, { hasSuperiorWith: [s3] }] };
}

const label = (a: AccountRowFragment) => `${enumLabel('AccountRole', a.role)} · ${scopeName(a)}${a.holder ? ` · ${a.holder.name}` : ''}`;

export function DisableModal({ account, onClose }: { account: AccountRowFragment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [cascade, setCascade] = useState(false);
  const [count] = useQuery({ query: DerivedCountDocument, variables: { where: derivedWhere(account.id) }, requestPolicy: 'network-only' });
  const [{ fetching, error }, disable] = useMutation(DisableAccountDocument);
  const derived = count.data?.accounts.totalCount;
  const ok = async () => {
    const r = await disable({ id: account.id, cascade });
    if (!r.error) {
      message.success(t('accounts.disabled', { count: r.data?.disableAccount?.changed.length ?? 1 }));
      onClose();
    }
  };
  return (
    <Modal
      open
      title={t('accounts.disableTitle', { account: label(account) })}
      onCancel={onClose}
      onOk={ok}
      okText={t('accounts.disable')}
      okButtonProps={{ danger: true, disabled: cascade && derived === undefined }}
      confirmLoading={fetching}
    >
      <ErrorAlert error={error ?? count.error} />
      <Radio.Group value={cascade} onChange={(e) => setCascade(e.target.value)}>
        <Space direction="vertical">
          <Radio value={false}>{t('accounts.disableAlone')}</Radio>
          <Radio value={true}>{t('accounts.disableCascade')}</Radio>
        </Space>
      </Radio.Group>
      <div style={{ marginTop: 16 }} data-testid="disable-count">
        {cascade && derived === undefined ? (
          <Spin size="small" tip={t('accounts.counting')}>
            <div style={{ height: 24 }} />
          </Spin>
        ) : (
          <Alert
            type="warning"
            showIcon
            message={cascade ? t('accounts.disableCount', { count: (derived ?? 0) + 1, derived: derived ?? 0 }) : t('accounts.disableCountAlone')}
          />
        )}
      </div>
    </Modal>
  );
}

export function ActivateModal({ account, onClose }: { account: AccountRowFragment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [cascade, setCascade] = useState(true);
  const [{ fetching, error }, activate] = useMutation(ActivateAccountDocument);
  const ok = async () => {
    const r = await activate({ id: account.id, cascade });
    if (!r.error) {
      message.success(t('accounts.activated', { count: r.data?.activateAccount?.changed.length ?? 1 }));
      onClose();
    }
  };
  return (
    <Modal open title={t('accounts.activateTitle', { account: label(account) })} onCancel={onClose} onOk={ok} okText={t('accounts.activate')} confirmLoading={fetching}>
      <ErrorAlert error={error} />
      <Checkbox checked={cascade} onChange={(e) => setCascade(e.target.checked)}>
        {t('accounts.activateCascade')}
      </Checkbox>
    </Modal>
  );
}

/** Activating from the reactivation inbox: no dialog, the request is the ask. */
export function useActivate() {
  return useMutation(ActivateAccountDocument);
}
