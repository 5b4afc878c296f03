// The audited unmasking (Person.identity(reason)): with a PII_VIEWER grant
// covering the person the official gives a reason, the server records the
// read (time, grant, reason) and answers the name, ID number and phone in
// clear; without a grant the button says how to obtain one (seed 001 §11:
// the province's authorisation; the INITIATOR gives grants at /grants).
import { Alert, Button, Form, Input, Modal, Popover, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type CombinedError } from 'urql';
import { useNoCacheClient } from '../../client';
import { graphql } from '../../gql';
import ErrorAlert from '../../components/ErrorAlert';
import { useAccess } from '../../useAccess';

const IdentityDocument = graphql(`
  query PersonIdentity($id: ID!, $reason: String!) {
    node(id: $id) {
      __typename
      id
      ... on Person {
        identity(reason: $reason) {
          name
          idNumber
          phone
          recordedAt
          reason
        }
      }
    }
  }
`);

export interface Clear {
  name: string;
  idNumber: string;
  phone?: string | null;
  recordedAt: string;
  reason: string;
}

export default function Unmask({ personId, clear, onClear }: { personId: string; clear: Clear | null; onClear: (c: Clear | null) => void }) {
  const { t } = useTranslation();
  const access = useAccess();
  const noCacheClient = useNoCacheClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [empty, setEmpty] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  if (clear) return null;
  if (!access.can('person', 'unmask')) {
    const howTo = (
      <Space direction="vertical" style={{ maxWidth: 320 }} data-testid="unmask-howto">
        <Typography.Text>{t('persons.unmaskNoGrant')}</Typography.Text>
        {access.can('grant', 'give') ? (
          <Link to="/grants">{t('persons.grantsLink')}</Link>
        ) : (
          <Typography.Text type="secondary">{t('persons.unmaskNoGrantAsk')}</Typography.Text>
        )}
      </Space>
    );
    return (
      <Popover trigger="click" content={howTo} title={t('persons.unmaskTitle')}>
        <Button icon={<EyeOutlined />}>{t('persons.unmask')}</Button>
      </Popover>
    );
  }
  const run = async ({ reason }: { reason: string }) => {
    setBusy(true);
    // Through the client without a cache: the identity in clear is kept only
    // in the page's state, and Hide (onClear(null)) really forgets it.
    const r = await noCacheClient.query(IdentityDocument, { id: personId, reason }).toPromise();
    setBusy(false);
    const id = r.data?.node?.__typename === 'Person' ? r.data.node.identity : null;
    if (r.error || !id) {
      setError(r.error ?? null);
      // No identity and no error: say so rather than nothing.
      setEmpty(!r.error);
      return;
    }
    setError(null);
    setEmpty(false);
    setOpen(false);
    form.resetFields();
    onClear({ ...id });
  };
  return (
    <>
      <Button icon={<EyeOutlined />} onClick={() => setOpen(true)}>
        {t('persons.unmask')}
      </Button>
      <Modal
        open={open}
        title={t('persons.unmaskTitle')}
        okText={t('persons.unmaskOk')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnClose
      >
        <Alert type="info" showIcon message={t('persons.unmaskNotice')} style={{ marginBottom: 16 }} />
        <ErrorAlert error={error} />
        {empty && <Alert type="warning" showIcon message={t('persons.unmaskEmpty')} style={{ marginBottom: 16 }} data-testid="unmask-empty" />}
        <Form form={form} layout="vertical" onFinish={run} preserve={false}>
          <Form.Item
            name="reason"
            label={t('persons.unmaskWhy')}
            rules={[{ required: true, whitespace: true, message: t('persons.required') }, { max: 200 }]}
          >
            <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('persons.unmaskWhyHint')} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
