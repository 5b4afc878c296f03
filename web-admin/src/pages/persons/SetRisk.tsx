// setRisk for officials of the person's residence and the INITIATOR
// (authz/policy.csv: person setrisk): the risk, a quarantine end date for
// a quarantine or a close contact, and a confirmation. Seed 001 §4: a red
// code turns back only through this (the server's rules never leave RED
// on their own).
import { App, Button, DatePicker, Form, Modal, Select, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import type { PersonDetailsFragment, RiskChange } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { label } from './labels';

const SetRiskDocument = graphql(`
  mutation SetRisk($input: SetRiskInput!) {
    setRisk(input: $input) {
      ...PersonDetails
    }
  }
`);

const risks: RiskChange[] = ['CONFIRMED', 'SUSPECTED', 'CLOSE_CONTACT', 'QUARANTINED', 'RELEASED', 'NONE'];

interface Values {
  risk: RiskChange;
  quarantineEnds?: Dayjs | null;
}

export default function SetRisk({ p }: { p: PersonDetailsFragment }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const risk = Form.useWatch('risk', form);
  const [res, setRisk] = useMutation(SetRiskDocument);
  const withEnd = risk === 'QUARANTINED' || risk === 'CLOSE_CONTACT';
  const submit = (v: Values) => {
    modal.confirm({
      title: t('persons.setRiskTitle'),
      content: t('persons.setRiskConfirmText', { name: p.nameMasked, risk: label('RiskChange', v.risk) }),
      okText: t('persons.setRiskConfirm'),
      onOk: async () => {
        const ends = withEnd && v.quarantineEnds ? v.quarantineEnds.toISOString() : null;
        const r = await setRisk({ input: { person: p.id, risk: v.risk, quarantineEnds: ends } });
        if (!r.error && r.data) {
          message.success(t('persons.setRiskDone', { colour: label('Colour', r.data.setRisk.colour) }));
          setOpen(false);
          form.resetFields();
        }
      },
    });
  };
  return (
    <>
      <Button icon={<SafetyOutlined />} danger={p.colour === 'RED'} onClick={() => setOpen(true)}>
        {t('persons.setRisk')}
      </Button>
      <Modal open={open} title={t('persons.setRiskTitle')} okText={t('persons.setRiskConfirm')} onOk={() => form.submit()} onCancel={() => setOpen(false)} destroyOnClose>
        <ErrorAlert error={res.error} />
        {p.colour === 'RED' && <Typography.Paragraph type="danger">{t('persons.redRule')}</Typography.Paragraph>}
        <Form<Values> form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item name="risk" label={t('persons.setRiskNew')} rules={[{ required: true, message: t('persons.required') }]}>
            <Select data-testid="risk-select" options={risks.map((r) => ({ value: r, label: label('RiskChange', r) }))} />
          </Form.Item>
          {withEnd && (
            <Form.Item name="quarantineEnds" label={t('persons.setRiskEnds')} extra={t('persons.setRiskEndsHint')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
