// Registration at the till (A2): the phone, a code sent through the terminal's message provider
// that the buyer tells the cashier (the proof of consent), the name fields (the terminal holds no
// copy of the merchant's questionnaire yet: first name is required), then `buyer.register`.
import { Alert, Button, Checkbox, Input, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { maskPhoneInput, phoneComplete } from '#renderer/format/formatters.ts';
import type { Buyer } from './sale-types.ts';

/** The version of the consent text the cashier's screen shows (recorded with the consent). */
export const CONSENT_TEXT_VERSION = 'till-consent-2026-01';

/** The registration dialog; `onRegistered` gets the new buyer, identified by phone. */
export function RegisterDialog({
  open,
  initialPhone,
  onClose,
  onRegistered,
}: {
  open: boolean;
  initialPhone: string;
  onClose: () => void;
  onRegistered: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [phone, setPhone] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [consent, setConsent] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    if (!open) return;
    setPhone(initialPhone ? maskPhoneInput(initialPhone) : '');
    setSentTo(null);
    setCode('');
    setConfirmed(null);
    setFirstName('');
    setLastName('');
    setConsent(true);
    setProblem(null);
    setTouched(false);
  }, [open, initialPhone]);

  const sendCode = async () => {
    if (!phoneComplete(phone)) return;
    setBusy(true);
    const answer = await client.send('buyer.sendCode', { phone });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    setSentTo(phone);
    setConfirmed(null);
    setProblem(null);
  };

  const checkCode = async () => {
    if (!sentTo) return;
    const answer = await client.send('buyer.checkCode', { phone: sentTo, code });
    if (!answer.ok) return setProblem(answer.error.message);
    setConfirmed(code.trim());
    setProblem(null);
  };

  const submit = async () => {
    setTouched(true);
    if (!firstName.trim()) return;
    if (!sentTo || !confirmed) return setProblem(t('register.codeFirst'));
    setBusy(true);
    const answer = await client.send('buyer.register', {
      phone: sentTo,
      firstName: firstName.trim(),
      lastName: lastName.trim() || null,
      consents: consent
        ? (['sms', 'advertising'] as const).map((kind) => ({
            kind,
            textVersion: CONSENT_TEXT_VERSION,
            code: confirmed,
          }))
        : [],
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    onRegistered(answer.value);
  };

  const firstNameMissing = touched && !firstName.trim();
  return (
    <Modal
      open={open}
      title={t('register.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('register.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          loading={busy}
          disabled={!confirmed}
          onClick={() => void submit()}
          data-testid="register-submit"
        >
          {t('register.submit')}
        </Button>,
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid="register-dialog">
        <Space.Compact style={{ width: '100%' }}>
          <Input
            autoFocus
            value={phone}
            placeholder={t('register.phone')}
            aria-label={t('register.phone')}
            data-testid="register-phone"
            inputMode="tel"
            disabled={!!confirmed}
            onChange={(e) => setPhone(e.target.value ? maskPhoneInput(e.target.value) : '')}
            onPressEnter={() => void sendCode()}
          />
          <Button
            onClick={() => void sendCode()}
            disabled={!phoneComplete(phone) || !!confirmed}
            data-testid="register-send-code"
          >
            {t('register.sendCode')}
          </Button>
        </Space.Compact>
        {sentTo && (
          <Typography.Text type="secondary" data-testid="register-code-sent">
            {t('register.codeSent', { phone: sentTo })}
          </Typography.Text>
        )}
        {sentTo && (
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={code}
              placeholder={t('register.code')}
              aria-label={t('register.code')}
              data-testid="register-code"
              inputMode="numeric"
              disabled={!!confirmed}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 8))}
              onPressEnter={() => void checkCode()}
            />
            <Button
              onClick={() => void checkCode()}
              disabled={code.length < 4 || !!confirmed}
              data-testid="register-check-code"
            >
              {t('register.checkCode')}
            </Button>
          </Space.Compact>
        )}
        {confirmed && <Alert type="success" title={t('register.codeOk')} data-testid="register-code-ok" />}
        <Input
          value={firstName}
          placeholder={`${t('register.firstName')} *`}
          aria-label={t('register.firstName')}
          data-testid="register-first-name"
          status={firstNameMissing ? 'error' : undefined}
          onChange={(e) => setFirstName(e.target.value)}
        />
        {firstNameMissing && <Typography.Text type="danger">{t('register.required')}</Typography.Text>}
        <Input
          value={lastName}
          placeholder={t('register.lastName')}
          aria-label={t('register.lastName')}
          data-testid="register-last-name"
          onChange={(e) => setLastName(e.target.value)}
        />
        <Checkbox
          checked={consent}
          onChange={(e) => setConsent(e.target.checked)}
          data-testid="register-consent"
        >
          {t('register.consent')}
        </Checkbox>
        {problem && <Alert type="error" title={problem} data-testid="register-problem" />}
      </Space>
    </Modal>
  );
}
