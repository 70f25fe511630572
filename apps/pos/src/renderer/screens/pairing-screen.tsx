// First start (A11/B1): the terminal trades the code the cabinet shows for its credentials.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalStatus } from '#renderer/app/app.tsx';
import { useTerminal } from '#renderer/app/terminal-context.tsx';

/** Pairing with a code from the cabinet. */
export function PairingScreen({ status, onPaired }: { status: TerminalStatus; onPaired: () => void }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [error, setError] = useState<string | null>(status.pairingMessage);
  const [busy, setBusy] = useState(false);

  const pair = async (v: { serverUrl: string; code: string }) => {
    setBusy(true);
    const answer = await client.send('pairing.pair', {
      code: v.code.trim().toUpperCase(),
      serverUrl: v.serverUrl.trim(),
    });
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    setError(null);
    await client.send('sync.now', {});
    onPaired();
  };

  return (
    <Card
      title={t('pairing.title')}
      style={{ maxWidth: 520, margin: '40px auto' }}
      data-testid="pairing-screen"
    >
      <Typography.Paragraph>{t('pairing.hint')}</Typography.Paragraph>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form
        layout="vertical"
        initialValues={{ serverUrl: status.serverUrl ?? '', code: '' }}
        onFinish={(v: { serverUrl: string; code: string }) => void pair(v)}
      >
        <Form.Item name="serverUrl" label={t('pairing.serverUrl')} rules={[{ required: true }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="code" label={t('pairing.code')} rules={[{ required: true }]}>
          <Input autoFocus autoComplete="off" placeholder="ACDE-FGHJ" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('pairing.submit')}
        </Button>
      </Form>
    </Card>
  );
}
