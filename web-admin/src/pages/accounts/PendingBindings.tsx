// Accounts opened for, or handed to, the logged-in person that wait for
// their consent (issue 10 point 2: nobody is bound by a phone number alone;
// viewer.pendingBindings, acceptAccountBinding, declineAccountBinding).
// Shown on /accounts; the login page and the layout can show it too
// (it renders nothing when nothing waits).
import { App, Button, Card, List, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { accountLabel, useViewer } from '../../viewer';
import { errorText } from '../../errors';
import './locale';

const AcceptBindingDocument = graphql(`
  mutation AcceptAccountBinding($id: ID!) {
    acceptAccountBinding(id: $id) {
      ...AccountLabel
    }
  }
`);

const DeclineBindingDocument = graphql(`
  mutation DeclineAccountBinding($id: ID!) {
    declineAccountBinding(id: $id)
  }
`);

export default function PendingBindings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { viewer, reexecute } = useViewer();
  const [accepting, accept] = useMutation(AcceptBindingDocument);
  const [declining, decline] = useMutation(DeclineBindingDocument);
  const pending = viewer?.pendingBindings ?? [];
  if (pending.length === 0) return null;
  const done = (error: Parameters<typeof errorText>[0], ok: string) => {
    if (error) message.error(errorText(error));
    else {
      message.success(ok);
      reexecute({ requestPolicy: 'network-only' });
    }
  };
  return (
    <Card size="small" title={t('accounts.bindingsTitle')} style={{ marginBottom: 16, borderColor: '#faad14' }} data-testid="pending-bindings">
      <Typography.Paragraph type="secondary">{t('accounts.bindingsHint')}</Typography.Paragraph>
      <List
        dataSource={pending}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Space key="x">
                <Button
                  type="primary"
                  size="small"
                  loading={accepting.fetching}
                  onClick={async () => done((await accept({ id: a.id })).error, t('accounts.accepted'))}
                >
                  {t('accounts.accept')}
                </Button>
                <Popconfirm title={t('accounts.declineConfirm')} onConfirm={async () => done((await decline({ id: a.id })).error, t('accounts.declined'))}>
                  <Button size="small" danger loading={declining.fetching}>
                    {t('accounts.decline')}
                  </Button>
                </Popconfirm>
              </Space>,
            ]}
          >
            {accountLabel(a)}
          </List.Item>
        )}
      />
    </Card>
  );
}
