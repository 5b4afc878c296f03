// The shell: antd's locale follows the UI language, the GraphQL client is
// rebuilt on every session change, and the routes of src/routes.tsx are
// rendered inside the layout for a logged-in, active acting account.
import { Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Provider } from 'urql';
import { useTranslation } from 'react-i18next';
import { makeClient, NoCacheClientContext } from './client';
import { loadTokens, onSessionChange, sessionGeneration } from './session';
import { appRoutes, LoginPage, NotFoundPage, StationPage } from './routes';
import { useViewer } from './viewer';
import { accessOf } from './access';
import { AccessContext } from './useAccess';
import AppLayout from './layout/AppLayout';
import Restricted from './pages/login/Restricted';
import { errorText } from './errors';

function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin tip={t('app.loading')}>
        <div style={{ height: 40 }} />
      </Spin>
    </div>
  );
}

function RequireLogin({ children }: { children: React.ReactNode }) {
  const location = useLocation();
  if (!loadTokens()) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

function Shell() {
  const { viewer, fetching, error } = useViewer();
  const { t } = useTranslation();
  const location = useLocation();
  const access = useMemo(
    () => accessOf(viewer?.permissions, viewer?.acting.status === 'DISABLED'),
    [viewer],
  );
  if (!viewer && fetching) return <Loading />;
  if (!viewer) {
    if (!error) return <Navigate to="/login" replace />;
    // The scan station works offline (issue 14): started without a network
    // (its service worker serves the app), it runs from its own saved copy
    // of the acting account's site and queues the scans.
    if (error.networkError && location.pathname === '/station') {
      return (
        <Suspense fallback={<Loading />}>
          <div style={{ padding: 16 }}>
            <StationPage />
          </div>
        </Suspense>
      );
    }
    return <Result status="error" title={errorText(error)} />;
  }
  if (viewer.acting.status === 'DISABLED') {
    return (
      <AccessContext.Provider value={access}>
        <AppLayout restricted>
          <Restricted />
        </AppLayout>
      </AccessContext.Provider>
    );
  }
  return (
    <AccessContext.Provider value={access}>
      <AppLayout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<Navigate to="/tree" replace />} />
            {appRoutes.map((r) => (
              <Route
                key={r.path}
                path={r.path}
                element={access.routes[r.access] ? <r.page /> : <Result status="403" title={t('common.forbidden')} />}
              />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </AppLayout>
    </AccessContext.Provider>
  );
}

export default function App() {
  const { i18n } = useTranslation();
  const [generation, setGeneration] = useState(sessionGeneration());
  useEffect(() => onSessionChange(() => setGeneration(sessionGeneration())), []);
  const made = useMemo(
    () => makeClient(() => setGeneration((g) => g + 1)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [generation],
  );
  useEffect(() => () => made.dispose(), [made]);
  const en = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
    document.documentElement.lang = en ? 'en' : 'zh-CN';
    document.title = i18n.t('app.title');
  }, [en, i18n]);

  return (
    <ConfigProvider locale={en ? enUSLocale : zhCNLocale} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <Provider value={made.client}>
          <NoCacheClientContext.Provider value={made.noCacheClient}>
            <BrowserRouter>
              <Suspense fallback={<Loading />}>
                <Routes>
                  <Route path="/login" element={<LoginPage />} />
                  <Route
                    path="*"
                    element={
                      <RequireLogin>
                        <Shell />
                      </RequireLogin>
                    }
                  />
                </Routes>
              </Suspense>
            </BrowserRouter>
          </NoCacheClientContext.Provider>
        </Provider>
      </AntApp>
    </ConfigProvider>
  );
}
