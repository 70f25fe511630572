// Providers (data cache, Ant Design locale, router) and the session gate: nobody signed in sees the
// login form at whatever address they opened, and lands there after signing in.
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import ruRU from 'antd/locale/ru_RU';
import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { isApiFailure } from '#api/http-client.ts';
import { LoginPage } from '#auth/login-page.tsx';
import { fetchSession, sessionQueryKey } from '#auth/session-api.ts';
import { SessionProvider } from '#auth/session-context.tsx';
import { AppRoutes } from './app-routes.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers will not change on a retry; network blips may.
      retry: (count, error) => count < 2 && !(isApiFailure(error) && error.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});

function SessionGate() {
  const { t } = useTranslation();
  const session = useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: Infinity });
  if (session.isPending) return <Spin fullscreen tip={t('app.loading')} />;
  if (session.isError)
    return <Result status="error" title={t('app.error')} subTitle={session.error.message} />;
  if (!session.data) return <LoginPage />;
  return (
    <SessionProvider session={session.data}>
      <AppRoutes />
    </SessionProvider>
  );
}

/** The whole cabinet. */
export function App() {
  const { i18n } = useTranslation();
  const russian = i18n.language !== 'en';
  dayjs.locale(russian ? 'ru' : 'en');
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={russian ? ruRU : enUS}>
        <AntApp>
          <BrowserRouter>
            <SessionGate />
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
