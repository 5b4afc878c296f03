// Disabling (alone or with every derived account) and activating (the
// direct superior only) — seed 001 §10: 禁用下一级扫码员或其衍生的全部扫码员账号;
// 由上一级扫码员对其账号进行激活.
import { useState } from 'react';
import { Alert, App, Checkbox, Modal, Radio, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AccountRowFragment } from '../../gql/graphql';
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

// The API has no count of derived accounts, and filtering accounts by their
// superior is not offered (hasSuperiorWith would test rows outside the
// scope), so the dialog walks the account tree below X: it is at most four
// levels deep (INITIATOR → SENIOR → INTERMEDIATE → ORDINARY, seed 001 §6), so
// three levels of subordinates hold every derived account. Only ACTIVE ones
// are taken down by a cascade (accounts.Disable). No orderBy: a cache entry
// of its own, apart from the tree's lists (graphcache relayPagination).
const DerivedAccountsDocument = graphql(`
  query DerivedAccounts($id: ID!) {
    node(id: $id) {
      ... on Account {
        id
        subordinates(first: 50) {
          edges {
            node {
              id
              status
              subordinates(first: 50) {
                edges {
                  node {
                    id
                    status
                    subordinates(first: 50) {
                      edges {
                        node {
                          id
                          status
                        }
                      }
                      pageInfo {
                        hasNextPage
                        endCursor
                      }
                    }
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
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

interface Level {
  edges?: ({ node?: { status: string; subordinates?: Level } | null } | null)[] | null;
  pageInfo: { hasNextPage: boolean };
}

/** Active accounts in the levels below, and whether a level had more than one page. */
export function countActive(level: Level | undefined): { active: number; more: boolean } {
  let active = 0;
  let more = !!level?.pageInfo.hasNextPage;
  for (const e of level?.edges ?? []) {
    if (!e?.node) continue;
    if (e.node.status === 'ACTIVE') active++;
    const below = countActive(e.node.subordinates);
    active += below.active;
    more ||= below.more;
  }
  return { active, more };
}

const label = (a: AccountRowFragment) => `${enumLabel('AccountRole', a.role)} · ${scopeName(a)}${a.holder ? ` · ${a.holder.name}` : ''}`;

export function DisableModal({ account, onClose }: { account: AccountRowFragment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [cascade, setCascade] = useState(false);
  const [count] = useQuery({ query: DerivedAccountsDocument, variables: { id: account.id }, requestPolicy: 'network-only' });
  const [{ fetching, error }, disable] = useMutation(DisableAccountDocument);
  const node = count.data?.node;
  const tally = node && 'subordinates' in node ? countActive(node.subordinates as Level) : undefined;
  const derived = tally?.active;
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
            message={cascade ? t(tally?.more ? 'accounts.disableCountAtLeast' : 'accounts.disableCount', { count: (derived ?? 0) + 1, derived: derived ?? 0 }) : t('accounts.disableCountAlone')}
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
