// Cashier login by personal access code (A9); works offline against the synced hashes.
import { Alert, Button, Card, Input, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalStatus } from '#renderer/app/app.tsx';
import { useTerminal } from '#renderer/app/terminal-context.tsx';

/** The access code prompt. */
export function LoginScreen({ status, onLoggedIn }: { status: TerminalStatus; onLoggedIn: () => void }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<InputRef>(null);
  useEffect(() => input.current?.focus(), []);

  const login = async (value: string) => {
    if (!value.trim()) return;
    setBusy(true);
    const answer = await client.send('cashier.login', { code: value.trim() });
    setBusy(false);
    setCode('');
    if (!answer.ok) {
      setError(answer.error.message);
      input.current?.focus();
      return;
    }
    onLoggedIn();
  };

  return (
    <Card title={t('login.title')} style={{ maxWidth: 420, margin: '40px auto' }} data-testid="login-screen">
      {status.store && (
        <Typography.Paragraph>{t('login.store', { name: status.store.name })}</Typography.Paragraph>
      )}
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Input.Password
        ref={input}
        size="large"
        value={code}
        placeholder={t('login.code')}
        aria-label={t('login.code')}
        inputMode="numeric"
        autoComplete="off"
        data-testid="access-code"
        onChange={(e) => setCode(e.target.value)}
        onPressEnter={(e) => void login(e.currentTarget.value)}
      />
      <Button
        type="primary"
        size="large"
        block
        loading={busy}
        style={{ marginTop: 16 }}
        onClick={() => void login(code)}
      >
        {t('login.submit')}
      </Button>
    </Card>
  );
}
