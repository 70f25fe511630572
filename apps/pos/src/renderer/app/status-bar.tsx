// Always visible (A8): online or offline, receipts waiting to sync, the last sync; the cashier.
import { Badge, Button, Layout, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { switchLanguage } from '#renderer/i18n/i18n.ts';
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';
import type { TerminalStatus } from './app.tsx';
import { useTerminal } from './terminal-context.tsx';
import { useFormatters } from './use-formatters.ts';

type SyncStatus = Extract<HandlerAnswer<'sync.status'>, { ok: true }>['value'];

/** The top bar. */
export function StatusBar(props: {
  status: TerminalStatus | null;
  connected: boolean;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useTerminal();
  const f = useFormatters();
  const [sync, setSync] = useState<SyncStatus | null>(null);

  const refresh = useCallback(async () => {
    const answer = await client.send('sync.status', {});
    if (answer.ok) setSync(answer.value);
  }, [client]);

  useEffect(() => {
    void refresh();
    const off = client.onEvent((event) => {
      if (event.event === 'sync' || event.event === 'receipt' || event.event === 'return') void refresh();
    });
    // The relative "last sync" and queued counts also change without events (a retry timer).
    const timer = setInterval(() => void refresh(), 5000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [client, refresh, props.connected]);

  const online = props.connected && (sync?.online ?? false);
  const logout = useCallback(async () => {
    await client.send('cashier.logout', {});
    props.onChanged();
  }, [client, props]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.code === 'KeyQ') {
        e.preventDefault();
        void logout();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [logout]);

  return (
    <Layout.Header
      style={{ background: '#fff', display: 'flex', alignItems: 'center', gap: 16, padding: '0 16px' }}
      data-testid="status-bar"
    >
      <Typography.Text strong>{props.status?.store?.name ?? t('app.title')}</Typography.Text>
      {!props.connected ? (
        <Tag color="red">{t('app.noConnection')}</Tag>
      ) : (
        <Tag color={online ? 'green' : 'orange'} data-testid="online-state">
          {online ? t('status.online') : t('status.offline')}
        </Tag>
      )}
      <Badge count={sync?.queuedOps ?? 0} showZero color={sync?.queuedOps ? 'orange' : 'green'}>
        <Tag data-testid="queued">{t('status.waiting', { count: sync?.queuedOps ?? 0 })}</Tag>
      </Badge>
      <Typography.Text type="secondary" data-testid="last-sync">
        {sync?.lastSyncAt ? t('status.lastSync', { time: f.time(sync.lastSyncAt) }) : t('status.never')}
      </Typography.Text>
      <Space style={{ marginLeft: 'auto' }}>
        <Button size="small" tabIndex={-1} onClick={() => void client.send('sync.now', {}).then(refresh)}>
          {t('status.syncNow')}
        </Button>
        {props.status?.cashier && (
          <>
            <Typography.Text>{t('status.cashier', { name: props.status.cashier.name })}</Typography.Text>
            <Button size="small" tabIndex={-1} onClick={() => void logout()}>
              {t('status.logout')}
            </Button>
          </>
        )}
        <Button
          size="small"
          tabIndex={-1}
          onClick={() => void switchLanguage(i18n.language === 'en' ? 'ru' : 'en')}
        >
          {t('app.language')}
        </Button>
      </Space>
    </Layout.Header>
  );
}
