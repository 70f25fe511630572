// Registration at the till (A2): the phone, a code sent through the terminal's message provider
// that the buyer tells the cashier (the proof of consent), then the merchant's questionnaire as the
// core resolves it for the receipt (fields required for the categories in it marked), then
// `buyer.register`. When no code can be sent (offline, gateway out of reach) the buyer is
// registered without one and the consent is asked with a code on the next purchase.
import { Alert, Button, Checkbox, Input, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { maskPhoneInput, phoneComplete } from '#renderer/format/formatters.ts';
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';
import type { Buyer } from './sale-types.ts';

/** The version of the consent text the cashier's screen shows (recorded with the consent). */
export const CONSENT_TEXT_VERSION = 'till-consent-2026-01';

type FormField = Extract<HandlerAnswer<'buyer.questionnaire'>, { ok: true }>['value']['fields'][number];
type Values = Record<string, string>;

// The name fields keep the ids the first version of the dialog had.
const TEST_IDS: Record<string, string> = { firstName: 'register-first-name', lastName: 'register-last-name' };

/** The registration dialog; `onRegistered` gets the new buyer, identified by phone. */
export function RegisterDialog({
  open,
  initialPhone,
  productIds = [],
  onClose,
  onRegistered,
}: {
  open: boolean;
  initialPhone: string;
  /** The receipt's products: the questionnaire may require fields for their categories. */
  productIds?: readonly string[];
  onClose: () => void;
  onRegistered: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [phone, setPhone] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [noCodePossible, setNoCodePossible] = useState(false);
  const [form, setForm] = useState<FormField[]>([]);
  const [values, setValues] = useState<Values>({});
  const [consent, setConsent] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  const productKey = productIds.join(',');

  useEffect(() => {
    if (!open) return;
    setPhone(initialPhone ? maskPhoneInput(initialPhone) : '');
    setSentTo(null);
    setCode('');
    setConfirmed(null);
    setNoCodePossible(false);
    setValues({});
    setConsent(true);
    setProblem(null);
    setTouched(false);
    void client
      .send('buyer.questionnaire', { productIds: productKey ? productKey.split(',') : [] })
      .then((answer) => {
        if (answer.ok) setForm(answer.value.fields);
        else setProblem(answer.error.message);
      });
  }, [open, initialPhone, client, productKey]);

  const sendCode = async () => {
    if (!phoneComplete(phone)) return;
    setBusy(true);
    const answer = await client.send('buyer.sendCode', { phone });
    setBusy(false);
    if (!answer.ok) {
      const details = answer.error.details as { withoutCode?: boolean } | undefined;
      if (details?.withoutCode) setNoCodePossible(true);
      return setProblem(answer.error.message);
    }
    setSentTo(phone);
    setConfirmed(null);
    setNoCodePossible(false);
    setProblem(null);
  };

  const checkCode = async () => {
    if (!sentTo) return;
    const answer = await client.send('buyer.checkCode', { phone: sentTo, code });
    if (!answer.ok) return setProblem(answer.error.message);
    setConfirmed(code.trim());
    setProblem(null);
  };

  const missing = (field: FormField) => field.required && !(values[field.key] ?? '').trim();

  const submit = async (withoutCode: boolean) => {
    setTouched(true);
    if (form.some(missing)) return;
    const target = withoutCode ? phone : sentTo;
    if (!target || (!withoutCode && !confirmed)) return setProblem(t('register.codeFirst'));
    const value = (key: string) => (values[key] ?? '').trim() || null;
    const answers: Record<string, string | number> = {};
    for (const field of form) {
      const v = value(field.key);
      if (field.source !== 'own' || v === null) continue;
      answers[field.key] = field.kind === 'number' ? Number(v.replace(',', '.')) : v;
    }
    setBusy(true);
    const answer = await client.send('buyer.register', {
      phone: target,
      firstName: value('firstName'),
      lastName: value('lastName'),
      middleName: value('middleName'),
      gender: (value('gender') as 'male' | 'female' | null) ?? null,
      birthDate: value('birthDate'),
      email: value('email'),
      answers,
      productIds: [...productIds],
      withoutCode,
      consents: consent
        ? (['sms', 'advertising'] as const).map((kind) => ({
            kind,
            textVersion: CONSENT_TEXT_VERSION,
            code: withoutCode ? null : confirmed,
          }))
        : [],
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    onRegistered(answer.value);
  };

  const label = (field: FormField) => {
    if (field.source === 'own') return field.label;
    if (field.key === 'firstName' || field.key === 'lastName') return t(`register.${field.key}`);
    return t(`tillForm.${field.key}`);
  };

  const input = (field: FormField) => {
    const text = `${label(field)}${field.required ? ' *' : ''}`;
    const common = {
      'aria-label': label(field),
      'data-testid': TEST_IDS[field.key] ?? `register-field-${field.key}`,
      status: touched && missing(field) ? ('error' as const) : undefined,
    };
    const set = (v: string) => setValues((current) => ({ ...current, [field.key]: v }));
    if (field.key === 'gender' || (field.source === 'own' && field.kind === 'list')) {
      const options =
        field.source === 'own'
          ? (field.options ?? []).map((o) => ({ value: o, label: o }))
          : [
              { value: 'female', label: t('tillForm.female') },
              { value: 'male', label: t('tillForm.male') },
            ];
      return (
        <Select
          {...common}
          style={{ width: '100%' }}
          placeholder={text}
          allowClear
          value={values[field.key] || undefined}
          options={options}
          onChange={(v: string | undefined) => set(v ?? '')}
        />
      );
    }
    const type =
      field.key === 'birthDate' || (field.source === 'own' && field.kind === 'date')
        ? 'date'
        : field.source === 'own' && field.kind === 'number'
          ? 'number'
          : 'text';
    return (
      <Input
        {...common}
        type={type}
        placeholder={text}
        value={values[field.key] ?? ''}
        onChange={(e) => set(e.target.value)}
      />
    );
  };

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
        noCodePossible && (
          <Button
            key="without-code"
            loading={busy}
            disabled={!phoneComplete(phone)}
            onClick={() => void submit(true)}
            data-testid="register-without-code"
          >
            {t('tillForm.withoutCode')}
          </Button>
        ),
        <Button
          key="submit"
          type="primary"
          loading={busy}
          disabled={!confirmed}
          onClick={() => void submit(false)}
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
        {noCodePossible && (
          <Alert
            type="warning"
            title={t('tillForm.withoutCodeHint')}
            data-testid="register-without-code-hint"
          />
        )}
        {form.map((field) => (
          <div key={field.key}>
            {input(field)}
            {field.source === 'own' && field.requiredBy.length > 0 && (
              <Typography.Text type="warning">{t('tillForm.requiredBy')}</Typography.Text>
            )}
            {touched && missing(field) && (
              <div>
                <Typography.Text type="danger">{t('register.required')}</Typography.Text>
              </div>
            )}
          </div>
        ))}
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
