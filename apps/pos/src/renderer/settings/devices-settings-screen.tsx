// Device and workstation settings (A6, A10, A11), F10 from the sale screen: scanners (serial and
// HID POS), the receipt printer with a test print, the slip's own texts and QR, and the desktop
// shell's window mode and update channel. Esc (or F10) goes back to the sale, whose draft is kept. Live scanner
// states arrive as `devices` events. No scan routing here: a wedge scan may fill a field.
import { Button, Card, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import type { DeviceList, DeviceStatus } from './device-settings-types.ts';
import { PrinterCard } from './printer-card.tsx';
import { ScannersCard } from './scanners-card.tsx';
import { SlipCard } from './slip-card.tsx';
import { WorkstationCard } from './workstation-card.tsx';

/** The devices settings screen; renders nothing while `active` is false. */
export function DevicesSettingsScreen({ active, onBack }: { active: boolean; onBack: () => void }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [status, setStatus] = useState<DeviceStatus | null>(null);
  const [list, setList] = useState<DeviceList | null>(null);
  const [local, setLocal] = useState<Record<string, unknown> | null>(null);

  const refreshStatus = useCallback(async () => {
    const answer = await client.send('devices.status', {});
    if (answer.ok) setStatus(answer.value);
  }, [client]);
  const refreshList = useCallback(async () => {
    const answer = await client.send('devices.list', {});
    if (answer.ok) setList(answer.value);
  }, [client]);

  useEffect(() => {
    if (!active) return;
    void refreshStatus();
    void refreshList();
    void client.send('settings.get', {}).then((answer) => {
      if (answer.ok) setLocal(answer.value.local);
    });
    return client.onEvent((event) => {
      if (event.event === 'devices') void refreshStatus();
    });
  }, [active, client, refreshStatus, refreshList]);

  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      // An open dropdown takes its own Esc first.
      if (e.key === 'F10' || (e.key === 'Escape' && !document.querySelector('.ant-select-open'))) {
        e.preventDefault();
        onBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, onBack]);

  if (!active) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="devices-screen">
      <Card size="small">
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('devices.title')}
          </Typography.Title>
          <Space>
            <Typography.Text type="secondary">{t('devices.keys')}</Typography.Text>
            <Button onClick={onBack} data-testid="devices-back">
              {t('devices.back')}
            </Button>
          </Space>
        </Space>
      </Card>
      <ScannersCard
        status={status}
        list={list}
        onChanged={() => void refreshStatus()}
        onRefreshList={() => void refreshList()}
      />
      <PrinterCard stored={local?.printer ?? null} />
      <SlipCard stored={local?.slip ?? null} />
      <WorkstationCard stored={local} />
    </Space>
  );
}
