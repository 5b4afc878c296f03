// /login: phone and password; a user holding several accounts chooses the
// acting one (多重身份管理, seed 001 §12), later switchable in the header.
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { changed, loadTokens, saveTokens } from '../../session';
import { errorText } from '../../errors';
import { accountLabel, useViewer } from '../../viewer';
import { SwitchAccountDocument } from '../../layout/AppLayout';
import { enumLabel } from '../../i18n';

const LoginDocument = graphql(`
  mutation Login($phone: String!, $password: String!) {
    login(phone: $phone, password: $password) {
      accessToken
      refreshToken
      expiresAt
      refreshExpiresAt
    }
  }
`);

function safeNext(next: string | null): string {
  // Only paths of this SPA: never another origin.
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/tree';
}

function ChooseAccount({ next }: { next: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { viewer, error } = useViewer();
  const [choice, setChoice] = useState<string>();
  const [{ fetching, error: switchError }, switchAccount] = useMutation(SwitchAccountDocument);
  if (error) return <Alert type="error" showIcon message={errorText(error)} />;
  if (!viewer) return null;
  const active = viewer.accounts.filter((a) => a.status === 'ACTIVE');
  if (active.length <= 1) {
    navigate(next, { replace: true });
    return null;
  }
  const go = async () => {
    const id = choice ?? viewer.acting.id;
    if (id !== viewer.acting.id) {
      const r = await switchAccount({ id });
      if (r.error) return;
      changed();
    }
    navigate(next, { replace: true });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4}>{t('login.chooseAccount')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('login.chooseAccountHint')}</Typography.Paragraph>
      {switchError && <Alert type="error" showIcon message={errorText(switchError)} />}
      <Radio.Group value={choice ?? viewer.acting.id} onChange={(e) => setChoice(e.target.value)} style={{ width: '100%' }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {viewer.accounts.map((a) => (
            <Radio key={a.id} value={a.id} disabled={a.status !== 'ACTIVE'} data-testid={`account-choice-${a.id}`}>
              {accountLabel(a)}
              {a.status !== 'ACTIVE' && (
                <Tag style={{ marginLeft: 8 }}>{enumLabel('AccountDisabledReason', a.disabledReason) || enumLabel('AccountStatus', a.status)}</Tag>
              )}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Button type="primary" block loading={fetching} onClick={go}>
        {t('login.continue')}
      </Button>
    </Space>
  );
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [{ fetching, error }, login] = useMutation(LoginDocument);
  const [choosing, setChoosing] = useState(false);

  const onFinish = async (v: { phone: string; password: string }) => {
    const r = await login({ phone: v.phone.trim(), password: v.password });
    if (r.data?.login) {
      saveTokens(r.data.login);
      setChoosing(true);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        {choosing && loadTokens() ? (
          <ChooseAccount next={next} />
        ) : (
          <>
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              {t('app.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
            {error && <Alert type="error" showIcon message={errorText(error)} style={{ marginBottom: 16 }} />}
            <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
              <Form.Item
                name="phone"
                label={t('login.phone')}
                rules={[
                  { required: true, message: t('login.phoneRequired') },
                  { pattern: /^1\d{10}$/, message: t('login.phoneInvalid') },
                ]}
              >
                <Input prefix={<MobileOutlined />} inputMode="numeric" autoComplete="username" maxLength={11} />
              </Form.Item>
              <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
                <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={fetching}>
                {t('login.submit')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
