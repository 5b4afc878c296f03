// The restricted view of a disabled acting account: the server lets it do
// nothing but see itself, file requestReactivation and log out
// (graph/server.go allowedWhileDisabled; seed 001 §10).
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { accountLabel, useViewer } from '../../viewer';
import { enumLabel } from '../../i18n';
import { errorText } from '../../errors';
// An account someone opened for this person waits for their consent
// (issue 10 point 2): they accept or decline it here too, since a person
// whose only account is disabled never reaches /accounts.
import PendingBindings from '../accounts/PendingBindings';

const RequestReactivationDocument = graphql(`
  mutation RequestReactivation($id: ID!, $note: String) {
    requestReactivation(id: $id, note: $note) {
      id
      status
      note
      createdAt
      decidedAt
    }
  }
`);

const ReactivationStateDocument = graphql(`
  query ReactivationState($id: ID!) {
    node(id: $id) {
      ... on ReactivationRequest {
        id
        status
        note
        createdAt
        decidedAt
      }
    }
  }
`);

const key = (accountId: string) => `mashang.reactivation.${accountId}`;

export default function Restricted() {
  const { t } = useTranslation();
  const { viewer } = useViewer();
  const acting = viewer?.acting;
  const [requestId, setRequestId] = useState(() => (acting ? localStorage.getItem(key(acting.id)) : null));
  const [{ fetching, error }, request] = useMutation(RequestReactivationDocument);
  const [state] = useQuery({ query: ReactivationStateDocument, variables: { id: requestId ?? '' }, pause: !requestId });
  if (!acting) return null;
  const node = state.data?.node;
  const filed = node && 'status' in node ? node : null;

  const onFinish = async (v: { note?: string }) => {
    const r = await request({ id: acting.id, note: v.note || null });
    if (r.data) {
      localStorage.setItem(key(acting.id), r.data.requestReactivation.id);
      setRequestId(r.data.requestReactivation.id);
    }
  };

  return (
    <Card style={{ maxWidth: 640, margin: '0 auto' }}>
      <PendingBindings />
      <Result status="warning" title={t('account.disabledTitle')} subTitle={t('account.disabledHint')} />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('header.acting')}>{accountLabel(acting)}</Descriptions.Item>
        <Descriptions.Item label={t('account.disabledReason')}>{enumLabel('AccountDisabledReason', acting.disabledReason)}</Descriptions.Item>
        {filed && (
          <Descriptions.Item label={t('account.reactivationState')}>
            <Tag color={filed.status === 'GRANTED' ? 'green' : 'blue'} data-testid="reactivation-state">
              {enumLabel('ReactivationRequestStatus', filed.status)}
            </Tag>
          </Descriptions.Item>
        )}
      </Descriptions>
      {error && <Alert type="error" showIcon message={errorText(error)} style={{ marginTop: 16 }} />}
      {!filed && (
        <Form layout="vertical" onFinish={onFinish} style={{ marginTop: 16 }}>
          <Form.Item name="note" label={t('account.reactivationNote')}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={fetching}>
            {t('account.requestReactivation')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
