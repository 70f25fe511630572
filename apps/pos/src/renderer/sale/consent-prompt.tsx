// The consent of a buyer registered without a code (A2): on this purchase the cashier sends the
// code to the buyer's phone and types what the buyer tells; "Without code" leaves it pending for
// the next purchase (the buyer may have no phone at hand).
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';

/** The prompt shown in the buyer panel while the buyer's consent is pending. */
export function ConsentPrompt({ buyerId, onConfirmed }: { buyerId: string; onConfirmed: () => void }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [skipped, setSkipped] = useState(false);
  if (skipped) return null;

  const send = async () => {
    const answer = await client.send('buyer.sendConsentCode', { buyerId });
    if (!answer.ok) return setProblem(answer.error.message);
    setSent(true);
    setProblem(null);
  };

  const confirm = async () => {
    const answer = await client.send('buyer.confirmConsent', { buyerId, code });
    if (!answer.ok) return setProblem(answer.error.message);
    setProblem(null);
    onConfirmed();
  };

  return (
    <Alert
      type="warning"
      data-testid="consent-prompt"
      title={t('buyerCard.pendingConsent')}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          {sent && <span data-testid="consent-code-sent">{t('buyerCard.consentSent')}</span>}
          <Space.Compact style={{ width: '100%' }}>
            {sent ? (
              <>
                <Input
                  value={code}
                  placeholder={t('buyerCard.consentCode')}
                  aria-label={t('buyerCard.consentCode')}
                  inputMode="numeric"
                  data-testid="consent-code"
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 8))}
                  onPressEnter={() => void confirm()}
                />
                <Button
                  disabled={code.length < 4}
                  onClick={() => void confirm()}
                  data-testid="consent-confirm"
                >
                  {t('buyerCard.confirmConsent')}
                </Button>
              </>
            ) : (
              <Button onClick={() => void send()} data-testid="consent-send-code">
                {t('buyerCard.sendConsentCode')}
              </Button>
            )}
            <Button onClick={() => setSkipped(true)} data-testid="consent-skip">
              {t('buyerCard.skipConsent')}
            </Button>
          </Space.Compact>
          {problem && <span data-testid="consent-problem">{problem}</span>}
        </Space>
      }
    />
  );
}
