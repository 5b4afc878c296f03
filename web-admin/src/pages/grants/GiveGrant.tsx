// Giving a grant (Mutation.giveGrant; seed 001 §3, §11): PII_VIEWER and
// TRACER cover a region (default: the holder's scope) and name their
// purpose — a case number or an alert — and a reason; SECTOR_STATISTICS
// names its sector. At most 90 days (accounts.MaxGrantPeriod).
import { App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import type { GrantKind, Sector } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { RegionPicker } from '../accounts/ScopePicker';
import { sectors } from '../accounts/sectors';
import './locale';

const GiveGrantDocument = graphql(`
  mutation GiveGrant($accountId: ID!, $kind: GrantKind!, $sector: Sector, $expiresAt: Time!, $reason: String!, $regionId: ID, $caseNumber: String, $alertId: ID) {
    giveGrant(accountId: $accountId, kind: $kind, sector: $sector, expiresAt: $expiresAt, reason: $reason, regionId: $regionId, caseNumber: $caseNumber, alertId: $alertId) {
      ...GrantRow
    }
  }
`);

const GrantAccountsDocument = graphql(`
  query GrantAccounts($where: AccountWhereInput) {
    accounts(first: 100, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {
      edges {
        node {
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
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const GrantAlertsDocument = graphql(`
  query GrantAlerts {
    alerts(first: 30, orderBy: [{ field: RAISED_AT, direction: DESC }]) {
      edges {
        node {
          id
          kind
          place
          nameMasked
          raisedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const kinds: GrantKind[] = ['PII_VIEWER', 'TRACER', 'SECTOR_STATISTICS'];

// Accounts cannot be filtered by the name of their scope on the server
// (hasScopeRegionWith is not offered), so the picker loads the active
// accounts (100 at most) and filters their labels as one types.
function AccountPicker({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [r] = useQuery({ query: GrantAccountsDocument, variables: { where: { roleNotIn: ['INITIATOR'], status: 'ACTIVE' } } });
  const options = (r.data?.accounts.edges ?? []).flatMap((e) => {
    const a = e?.node;
    if (!a) return [];
    const scope = a.scopeSite?.name ?? a.scopeRegion?.name ?? '';
    return [{ value: a.id, label: `${enumLabel('AccountRole', a.role)} · ${scope}${a.holder ? ` · ${a.holder.name}` : ''}` }];
  });
  return (
    <Select
      id={id}
      showSearch
      value={value}
      onChange={onChange}
      optionFilterProp="label"
      loading={r.fetching}
      options={options}
      placeholder={t('grants.pickAccount')}
      data-testid="grant-account"
    />
  );
}

function AlertPicker({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [r] = useQuery({ query: GrantAlertsDocument });
  const options = (r.data?.alerts.edges ?? []).flatMap((e) =>
    e?.node ? [{ value: e.node.id, label: `${dayjs(e.node.raisedAt).format('MM-DD HH:mm')} · ${e.node.place} · ${e.node.nameMasked}` }] : [],
  );
  return <Select id={id} value={value} onChange={onChange} options={options} loading={r.fetching} placeholder={t('grants.pickAlert')} />;
}

interface Values {
  accountId: string;
  kind: GrantKind;
  regionId?: string;
  sector?: Sector;
  purpose: 'case' | 'alert';
  caseNumber?: string;
  alertId?: string;
  reason: string;
  expiresAt: Dayjs;
}

export default function GiveGrant({ onClose, onGiven }: { onClose: () => void; onGiven: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const purpose = Form.useWatch('purpose', form);
  const [{ fetching, error }, give] = useMutation(GiveGrantDocument);
  const bound = kind === 'PII_VIEWER' || kind === 'TRACER';
  const req = { required: true, message: t('grants.required') };
  const submit = async (v: Values) => {
    const r = await give({
      accountId: v.accountId,
      kind: v.kind,
      sector: v.kind === 'SECTOR_STATISTICS' ? (v.sector ?? null) : null,
      expiresAt: v.expiresAt.toISOString(),
      reason: v.reason.trim(),
      regionId: bound ? (v.regionId ?? null) : null,
      caseNumber: bound && v.purpose === 'case' ? (v.caseNumber?.trim() ?? null) : null,
      alertId: bound && v.purpose === 'alert' ? (v.alertId ?? null) : null,
    });
    if (r.data) {
      message.success(t('grants.given'));
      onGiven();
    }
  };
  return (
    <Modal open title={t('grants.giveTitle')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={fetching} okText={t('grants.give')}>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'TRACER', purpose: 'case', expiresAt: dayjs().add(7, 'day').endOf('day') }}
      >
        <Form.Item name="accountId" label={t('grants.account')} rules={[req]}>
          <AccountPicker />
        </Form.Item>
        <Form.Item name="kind" label={t('grants.kind')} rules={[req]}>
          <Select options={kinds.map((k) => ({ value: k, label: enumLabel('GrantKind', k) }))} />
        </Form.Item>
        {bound ? (
          <>
            <Form.Item name="regionId" label={t('grants.region')} extra={t('grants.regionHint')}>
              <RegionPicker />
            </Form.Item>
            <Form.Item name="purpose" label={t('grants.purpose')}>
              <Radio.Group
                options={[
                  { value: 'case', label: t('grants.byCase') },
                  { value: 'alert', label: t('grants.byAlert') },
                ]}
              />
            </Form.Item>
            {purpose === 'alert' ? (
              <Form.Item name="alertId" label={t('grants.alert')} rules={[req]}>
                <AlertPicker />
              </Form.Item>
            ) : (
              <Form.Item name="caseNumber" label={t('grants.caseNumber')} rules={[req]} extra={t('grants.caseNumberHint')}>
                <Input maxLength={64} />
              </Form.Item>
            )}
          </>
        ) : (
          <Form.Item name="sector" label={t('grants.sector')} rules={[req]}>
            <Select options={sectors.map((s) => ({ value: s, label: enumLabel('Sector', s) }))} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('grants.reason')} rules={[req]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('grants.expiresAt')} extra={t('grants.expiresHint')} rules={[req]}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(d) => d.isBefore(dayjs().startOf('day')) || d.isAfter(dayjs().add(90, 'day'))}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
