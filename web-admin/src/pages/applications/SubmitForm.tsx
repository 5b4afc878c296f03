// A unit applies for its SENIOR scanner (seed 001 §9, §13: 经审核后开通),
// bound to its unified social credit code, checked here with the GB 32100
// check character (uscc.ts) and again by the server.
import { useState } from 'react';
import { App, Button, Divider, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import ErrorAlert from '../../components/ErrorAlert';
import HolderFields, { holderInput, type HolderValues } from '../accounts/HolderFields';
import { RegionPicker, SitePicker } from '../accounts/ScopePicker';
import { normaliseUscc, usccProblem, type UsccProblem } from './uscc';
import i18n from '../../i18n';
import './locale';

const SubmitSeniorApplicationDocument = graphql(`
  mutation SubmitSeniorApplication($input: SeniorApplicationInput!) {
    submitSeniorApplication(input: $input) {
      ...ApplicationRow
    }
  }
`);

export function usccMessage(p: UsccProblem): string {
  switch (p.kind) {
    case 'length':
      return i18n.t('applications.usccLength', { length: p.length });
    case 'fullWidth':
      return i18n.t('applications.usccFullWidth', { position: p.position });
    case 'character':
      return i18n.t('applications.usccCharacter', { position: p.position, char: p.char });
    case 'check':
      return i18n.t('applications.usccCheck', { want: p.want, got: p.got });
  }
}

interface Values {
  unitName: string;
  uscc: string;
  kind: 'site' | 'region';
  siteId?: string;
  regionId?: string;
  holder: HolderValues;
}

export default function SubmitForm({ initiator, onSubmitted }: { initiator: boolean; onSubmitted: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [{ fetching, error }, submit] = useMutation(SubmitSeniorApplicationDocument);
  const [shown, setShown] = useState(false);
  const onFinish = async (v: Values) => {
    setShown(true);
    const r = await submit({
      input: {
        unitName: v.unitName.trim(),
        uscc: normaliseUscc(v.uscc),
        scopeId: (v.kind === 'site' ? v.siteId : v.regionId) ?? '',
        holder: holderInput(v.holder),
      },
    });
    if (r.data) {
      message.success(t('applications.submitted'));
      form.resetFields();
      setShown(false);
      onSubmitted();
    }
  };
  const req = { required: true, message: t('accounts.required') };
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ kind: 'site' }} style={{ maxWidth: 560 }}>
      {shown && <ErrorAlert error={error} />}
      <Form.Item name="unitName" label={t('applications.unitName')} rules={[req]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="uscc"
        label={t('applications.uscc')}
        normalize={(v: string) => v.toUpperCase()}
        rules={[
          req,
          {
            validator: async (_, v: string | undefined) => {
              if (!v) return;
              const p = usccProblem(normaliseUscc(v));
              if (p) throw new Error(usccMessage(p));
            },
          },
        ]}
      >
        <Input maxLength={18} placeholder={t('applications.usccPlaceholder')} autoComplete="off" />
      </Form.Item>
      <Form.Item name="kind" label={t('applications.scopeKind')}>
        <Radio.Group
          options={[
            { value: 'site', label: t('applications.atSite') },
            { value: 'region', label: t('applications.atRegion') },
          ]}
        />
      </Form.Item>
      {kind === 'region' ? (
        <Form.Item name="regionId" label={t('applications.atRegion')} rules={[req]}>
          <RegionPicker />
        </Form.Item>
      ) : (
        <Form.Item name="siteId" label={t('applications.atSite')} rules={[req]}>
          <SitePicker />
        </Form.Item>
      )}
      <Divider orientation="left">{t('applications.holderTitle')}</Divider>
      <HolderFields passwordRequired={!initiator} />
      <Button type="primary" htmlType="submit" loading={fetching}>
        {t('applications.submit')}
      </Button>
    </Form>
  );
}
