// Creating and replacing accounts (seed 001 §6, §10): the roles offered are
// those the acting account may create (access.ts, from viewer.permissions);
// SENIOR accounts are opened only by approving a senior application.
import { useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { AccountRole, AccountRowFragment, Sector } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';
import HolderFields, { holderInput, type HolderValues } from './HolderFields';
import { RegionPicker, SitePicker } from './ScopePicker';
import { scopeName } from './AccountTable';
import { sectors } from './sectors';
import './locale';

const CreateAccountDocument = graphql(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      ...AccountRow
    }
  }
`);

const ReplaceAccountDocument = graphql(`
  mutation ReplaceAccount($id: ID!, $holder: HolderInput!, $reason: String) {
    replaceAccount(id: $id, holder: $holder, reason: $reason) {
      ...AccountRow
    }
  }
`);

const creatable: AccountRole[] = ['INTERMEDIATE', 'ORDINARY', 'OFFICIAL', 'GRID_WORKER'];
/** Scanners work at a site; officials and grid workers over a region; an INTERMEDIATE either. */
const atSite = (role: string) => role === 'ORDINARY' || role === 'INTERMEDIATE';

interface CreateValues {
  role: AccountRole;
  siteId?: string;
  regionId?: string;
  sector?: Sector;
  holder: HolderValues;
}

export function CreateAccountModal({ open, onClose, onCreated, initiator }: { open: boolean; onClose: () => void; onCreated: () => void; initiator: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const [form] = Form.useForm<CreateValues>();
  const role = Form.useWatch('role', form);
  const [{ fetching, error }, create] = useMutation(CreateAccountDocument);
  const [shown, setShown] = useState(false);
  const roles = creatable.filter((r) => access.canCreateAccount(r));

  const submit = async (v: CreateValues) => {
    setShown(true);
    const scopeId = atSite(v.role) && v.siteId ? v.siteId : v.regionId;
    const r = await create({
      input: { role: v.role, scopeId: scopeId ?? '', holder: holderInput(v.holder), sector: v.role === 'OFFICIAL' ? (v.sector ?? null) : null },
    });
    if (!r.error) {
      const a = r.data?.createAccount;
      message.success(a?.disabledReason === 'PENDING_CONSENT' ? t('accounts.createdPending') : t('accounts.created'));
      form.resetFields();
      setShown(false);
      onCreated();
    }
  };

  return (
    <Modal
      open={open}
      title={t('accounts.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={fetching}
      destroyOnClose
      forceRender
    >
      {shown && <ErrorAlert error={error} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ role: roles.includes('ORDINARY') ? 'ORDINARY' : roles[0] }}>
        <Form.Item name="role" label={t('accounts.role')} rules={[{ required: true, message: t('accounts.required') }]}>
          <Select options={roles.map((r) => ({ value: r, label: enumLabel('AccountRole', r) }))} />
        </Form.Item>
        {role && atSite(role) ? (
          <Form.Item name="siteId" label={t('accounts.scopeSite')} rules={[{ required: role === 'ORDINARY', message: t('accounts.required') }]}>
            <SitePicker />
          </Form.Item>
        ) : null}
        {role && !atSite(role) ? (
          <Form.Item name="regionId" label={t('accounts.scopeRegion')} rules={[{ required: true, message: t('accounts.required') }]}>
            <RegionPicker />
          </Form.Item>
        ) : null}
        {role === 'OFFICIAL' && (
          <Form.Item name="sector" label={t('accounts.sector')}>
            <Select allowClear options={sectors.map((s) => ({ value: s, label: enumLabel('Sector', s) }))} />
          </Form.Item>
        )}
        <HolderFields passwordRequired={!initiator} />
      </Form>
    </Modal>
  );
}

export function ReplaceAccountModal({ account, onClose, initiator }: { account: AccountRowFragment | null; onClose: () => void; initiator: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ holder: HolderValues; reason?: string }>();
  const [{ fetching, error }, replace] = useMutation(ReplaceAccountDocument);
  const [shown, setShown] = useState(false);
  if (!account) return null;
  const label = `${enumLabel('AccountRole', account.role)} · ${scopeName(account)}`;
  const submit = async (v: { holder: HolderValues; reason?: string }) => {
    setShown(true);
    const r = await replace({ id: account.id, holder: holderInput(v.holder), reason: v.reason?.trim() || null });
    if (!r.error) {
      message.success(r.data?.replaceAccount?.disabledReason === 'PENDING_CONSENT' ? t('accounts.createdPending') : t('accounts.replaced'));
      setShown(false);
      onClose();
    }
  };
  return (
    <Modal open title={t('accounts.replaceTitle', { account: label })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={fetching} destroyOnClose>
      <p>{t('accounts.replaceHint')}</p>
      {shown && <ErrorAlert error={error} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <HolderFields passwordRequired={!initiator} />
        <Form.Item name="reason" label={t('accounts.reason')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
