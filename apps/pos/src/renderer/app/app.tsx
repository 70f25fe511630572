// Which screen the till shows: the token page without a token, pairing until the terminal is
// paired, the cashier login until someone logs in, then the sale screen; the status bar always.
import { App as AntApp, ConfigProvider, Layout, Spin } from 'antd';
import enGB from 'antd/locale/en_GB';
import ruRU from 'antd/locale/ru_RU';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  connectTerminal,
  hasTerminalBridge,
  type HandlerAnswer,
  type TerminalClient,
} from '#renderer/rpc/terminal-client.ts';
import { saveLocalToken, takeLocalToken } from '#renderer/rpc/local-token.ts';
import { LoginScreen } from '#renderer/screens/login-screen.tsx';
import { PairingScreen } from '#renderer/screens/pairing-screen.tsx';
import { TokenScreen } from '#renderer/screens/token-screen.tsx';
import { ReturnScreen } from '#renderer/returns/return-screen.tsx';
import { SaleScreen } from '#renderer/sale/sale-screen.tsx';
import { DevicesSettingsScreen } from '#renderer/settings/devices-settings-screen.tsx';
import { StatusBar } from './status-bar.tsx';
import { TerminalContext } from './terminal-context.tsx';

/** The terminal status as `terminal.status` answers it. */
export type TerminalStatus = Extract<HandlerAnswer<'terminal.status'>, { ok: true }>['value'];

function Connected({ token }: { token: string }) {
  // One client per mount: StrictMode mounts twice, and a closed client must not be reused.
  const [client, setClient] = useState<TerminalClient | null>(null);
  useEffect(() => {
    const created = connectTerminal(window.location.origin, token);
    setClient(created);
    return () => created.close();
  }, [token]);
  return client ? <Screens client={client} /> : null;
}

function Screens({ client }: { client: TerminalClient }) {
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [connected, setConnected] = useState(false);
  const [mode, setMode] = useState<'sale' | 'return' | 'settings'>('sale');
  const toSale = useCallback(() => setMode('sale'), []);
  const toReturns = useCallback(() => setMode('return'), []);
  const toSettings = useCallback(() => setMode('settings'), []);

  const refresh = useCallback(async () => {
    const answer = await client.send('terminal.status', {});
    if (answer.ok) setStatus(answer.value);
  }, [client]);

  useEffect(() => {
    const offConnection = client.onConnection((up) => {
      setConnected(up);
      if (up) void refresh();
    });
    const offEvents = client.onEvent((event) => {
      if (event.event === 'cashier' || event.event === 'sync') void refresh();
    });
    return () => {
      offConnection();
      offEvents();
    };
  }, [client, refresh]);

  let screen;
  if (!status) screen = <Spin size="large" style={{ margin: 80 }} />;
  else if (status.pairing !== 'paired')
    screen = <PairingScreen status={status} onPaired={() => void refresh()} />;
  else if (!status.cashier) screen = <LoginScreen status={status} onLoggedIn={() => void refresh()} />;
  else
    screen = (
      <>
        <SaleScreen active={mode === 'sale'} onReturns={toReturns} onSettings={toSettings} />
        <ReturnScreen active={mode === 'return'} cashier={status.cashier} onBack={toSale} />
        <DevicesSettingsScreen active={mode === 'settings'} onBack={toSale} />
      </>
    );

  return (
    <TerminalContext.Provider value={client}>
      <Layout style={{ minHeight: '100vh' }}>
        <StatusBar status={status} connected={connected} onChanged={() => void refresh()} />
        <Layout.Content style={{ padding: 16 }}>{screen}</Layout.Content>
      </Layout>
    </TerminalContext.Provider>
  );
}

/** The root component. */
export function App() {
  const { i18n } = useTranslation();
  const [token, setToken] = useState<string | null>(() => takeLocalToken());
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enGB : ruRU}
      theme={{ token: { fontSize: 16, controlHeight: 40 } }}
    >
      <AntApp>
        {/* Inside the Electron shell the preload carries the calls: no local token to ask for. */}
        {token || hasTerminalBridge() ? (
          <Connected token={token ?? ''} />
        ) : (
          <TokenScreen
            onToken={(value) => {
              saveLocalToken(value);
              setToken(value);
            }}
          />
        )}
      </AntApp>
    </ConfigProvider>
  );
}
