// A points payment that needs a code (A5: a promotion flag or the programme's
// `redemptionRequiresCode`, shown by the engine's `requiresConfirmationCode`): the cashier sends
// the code to the buyer and types what the buyer tells; `sale.commit` checks it. Offline the core
// refuses such a payment in words, which the sale screen shows.
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';

/** The code field under the points card; `onCode` gets what is typed. */
export function PointsCodeField({
  buyerId,
  code,
  onCode,
}: {
  buyerId: string;
  code: string;
  onCode: (code: string) => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const send = async () => {
    const answer = await client.send('sale.sendPointsCode', { buyerId });
    setNote(answer.ok ? { ok: true, text: t('pointsCode.sent') } : { ok: false, text: answer.error.message });
  };

  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }} data-testid="points-code">
      <Alert type="info" title={t('pointsCode.needed')} />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          value={code}
          placeholder={t('pointsCode.code')}
          aria-label={t('pointsCode.code')}
          inputMode="numeric"
          data-testid="points-code-input"
          onChange={(e) => onCode(e.target.value.replace(/\D/g, '').slice(0, 8))}
        />
        <Button onClick={() => void send()} data-testid="points-code-send">
          {t('pointsCode.send')}
        </Button>
      </Space.Compact>
      {note && <Alert type={note.ok ? 'success' : 'error'} title={note.text} />}
    </Space>
  );
}
