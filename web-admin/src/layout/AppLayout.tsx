// The frame of every page: the menu of src/routes.tsx (filtered by
// access), the acting-account switcher (多重身份, seed 001 §12), the language
// and logout. Works from a 768 px portrait tablet up.
import { useMemo, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { App, Button, Grid, Layout, Menu, Select, Space, Tooltip, Typography } from 'antd';
import { LogoutOutlined, TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { appRoutes } from '../routes';
import { useAccess } from '../useAccess';
import { accountLabel, useViewer } from '../viewer';
import { changed, saveTokens } from '../session';
import { currentLanguage, setLanguage } from '../i18n';
import { errorText } from '../errors';

export const SwitchAccountDocument = graphql(`
  mutation SwitchAccount($id: ID!) {
    switchAccount(id: $id) {
      acting {
        id
      }
    }
  }
`);

const LogoutDocument = graphql(`
  mutation Logout {
    logout
  }
`);

export default function AppLayout({ children, restricted }: { children: ReactNode; restricted?: boolean }) {
  const { t } = useTranslation();
  const { viewer } = useViewer();
  const access = useAccess();
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [, switchAccount] = useMutation(SwitchAccountDocument);
  const [, logout] = useMutation(LogoutDocument);
  // Below 992 px (a tablet in portrait) the header keeps icons only.
  const wide = Grid.useBreakpoint().lg ?? true;

  const items = useMemo(
    () =>
      restricted
        ? []
        : appRoutes
            .filter((r) => r.nav && access.routes[r.access])
            .map((r) => ({ key: r.path, label: <Link to={r.path}>{t(r.nav!)}</Link> })),
    [access, restricted, t],
  );
  const selected = appRoutes.find((r) => location.pathname === r.path || location.pathname.startsWith(`${r.navKey ?? r.path}/`));
  const selectedKey = selected ? (selected.navKey ?? selected.path) : location.pathname;

  const onSwitch = async (id: string) => {
    const r = await switchAccount({ id });
    if (r.error) {
      message.error(errorText(r.error));
      return;
    }
    const a = viewer?.accounts.find((x) => x.id === id);
    if (a) message.success(t('header.switched', { account: accountLabel(a) }));
    changed();
  };
  const onLogout = async () => {
    await logout({});
    saveTokens(null);
    message.info(t('header.loggedOut'));
    navigate('/login', { replace: true });
  };
  const switchable = (viewer?.accounts ?? []).filter((a) => a.status === 'ACTIVE' || a.id === viewer?.acting.id);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 12, paddingInline: 16, background: '#fff', borderBottom: '1px solid #f0f0f0' }}
      >
        <Typography.Text strong style={{ whiteSpace: 'nowrap', fontSize: 16 }}>
          {wide ? t('app.title') : t('app.short')}
        </Typography.Text>
        <Menu mode="horizontal" selectedKeys={[selectedKey]} items={items} style={{ flex: 1, minWidth: 0, borderBottom: 'none' }} />
        <Space size={8}>
          {viewer && (
            <Tooltip title={t('header.switchAccount')}>
              <Select
                data-testid="account-switcher"
                aria-label={t('header.switchAccount')}
                value={viewer.acting.id}
                onChange={onSwitch}
                style={{ width: wide ? 240 : 170 }}
                popupMatchSelectWidth={false}
                options={switchable.map((a) => ({ value: a.id, label: accountLabel(a) }))}
              />
            </Tooltip>
          )}
          <Button
            icon={<TranslationOutlined />}
            aria-label={t('app.language')}
            onClick={() => setLanguage(currentLanguage() === 'en' ? 'zh-CN' : 'en')}
          >
            {wide && (currentLanguage() === 'en' ? '中文' : 'EN')}
          </Button>
          <Tooltip title={wide ? undefined : t('header.logout')}>
            <Button icon={<LogoutOutlined />} onClick={onLogout} aria-label={t('header.logout')}>
              {wide && t('header.logout')}
            </Button>
          </Tooltip>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>{children}</Layout.Content>
    </Layout>
  );
}
