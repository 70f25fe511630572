// Personal data edited at the till (A4): name, birth date, gender, e-mail; a new phone only after
// the code sent to it is typed. `buyer.update` queues the change for the server.
import { Alert, Button, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { maskPhoneInput, phoneComplete } from '#renderer/format/formatters.ts';
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';
import type { Buyer } from './sale-types.ts';

type Profile = Extract<HandlerAnswer<'buyer.details'>, { ok: true }>['value']['profile'];
type Fields = { firstName: string; lastName: string; birthDate: string; gender: string; email: string };

/** The edit dialog; `onSaved` gets the buyer as the till now shows them. */
export function BuyerEditDialog({
  open,
  buyerId,
  profile,
  onClose,
  onSaved,
}: {
  open: boolean;
  buyerId: string;
  profile: Profile | null;
  onClose: () => void;
  onSaved: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [fields, setFields] = useState<Fields>({
    firstName: '',
    lastName: '',
    birthDate: '',
    gender: '',
    email: '',
  });
  const [phone, setPhone] = useState('');
  const [phoneSent, setPhoneSent] = useState(false);
  const [phoneCode, setPhoneCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open || !profile) return;
    setFields({
      firstName: profile.firstName ?? '',
      lastName: profile.lastName ?? '',
      birthDate: profile.birthDate ?? '',
      gender: profile.gender ?? '',
      email: profile.email ?? '',
    });
    setPhone('');
    setPhoneSent(false);
    setPhoneCode('');
    setProblem(null);
  }, [open, profile]);

  const set = (key: keyof Fields) => (value: string) => setFields((f) => ({ ...f, [key]: value }));

  const sendPhoneCode = async () => {
    const answer = await client.send('buyer.sendPhoneCode', { buyerId, phone });
    if (!answer.ok) return setProblem(answer.error.message);
    setPhoneSent(true);
    setProblem(null);
  };

  const save = async () => {
    if (!profile) return;
    // Only what the cashier changed travels: the server keeps the latest writer per field.
    const before: Fields = {
      firstName: profile.firstName ?? '',
      lastName: profile.lastName ?? '',
      birthDate: profile.birthDate ?? '',
      gender: profile.gender ?? '',
      email: profile.email ?? '',
    };
    const edited = (key: keyof Fields) => fields[key].trim() !== before[key];
    const value = (key: keyof Fields) => fields[key].trim() || null;
    const chosen = value('gender');
    const gender: 'male' | 'female' | null = chosen === 'male' || chosen === 'female' ? chosen : null;
    const changes = {
      ...(edited('firstName') ? { firstName: value('firstName') } : {}),
      ...(edited('lastName') ? { lastName: value('lastName') } : {}),
      ...(edited('birthDate') ? { birthDate: value('birthDate') } : {}),
      ...(edited('gender') ? { gender } : {}),
      ...(edited('email') ? { email: value('email') } : {}),
      ...(phoneComplete(phone) ? { phone } : {}),
    };
    if (Object.keys(changes).length === 0) return onClose();
    setBusy(true);
    const answer = await client.send('buyer.update', {
      buyerId,
      changes,
      ...(changes.phone ? { phoneCode } : {}),
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    onSaved(answer.value);
  };

  return (
    <Modal
      open={open}
      title={t('buyerEdit.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('buyerEdit.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={busy} onClick={() => void save()} data-testid="edit-save">
          {t('buyerEdit.save')}
        </Button>,
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid="buyer-edit-dialog">
        <Input
          value={fields.firstName}
          placeholder={t('register.firstName')}
          aria-label={t('register.firstName')}
          data-testid="edit-first-name"
          onChange={(e) => set('firstName')(e.target.value)}
        />
        <Input
          value={fields.lastName}
          placeholder={t('register.lastName')}
          aria-label={t('register.lastName')}
          data-testid="edit-last-name"
          onChange={(e) => set('lastName')(e.target.value)}
        />
        <Input
          type="date"
          value={fields.birthDate}
          aria-label={t('tillForm.birthDate')}
          data-testid="edit-birth-date"
          onChange={(e) => set('birthDate')(e.target.value)}
        />
        <Select
          style={{ width: '100%' }}
          allowClear
          placeholder={t('tillForm.gender')}
          aria-label={t('tillForm.gender')}
          value={fields.gender || undefined}
          options={[
            { value: 'female', label: t('tillForm.female') },
            { value: 'male', label: t('tillForm.male') },
          ]}
          onChange={(v: string | undefined) => set('gender')(v ?? '')}
        />
        <Input
          value={fields.email}
          placeholder={t('tillForm.email')}
          aria-label={t('tillForm.email')}
          data-testid="edit-email"
          onChange={(e) => set('email')(e.target.value)}
        />
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={phone}
            placeholder={t('buyerEdit.phone')}
            aria-label={t('buyerEdit.phone')}
            inputMode="tel"
            data-testid="edit-phone"
            onChange={(e) => setPhone(e.target.value ? maskPhoneInput(e.target.value) : '')}
          />
          <Button disabled={!phoneComplete(phone)} onClick={() => void sendPhoneCode()}>
            {t('buyerEdit.sendPhoneCode')}
          </Button>
        </Space.Compact>
        {phoneSent && (
          <Input
            value={phoneCode}
            placeholder={t('buyerEdit.phoneCode')}
            aria-label={t('buyerEdit.phoneCode')}
            inputMode="numeric"
            data-testid="edit-phone-code"
            onChange={(e) => setPhoneCode(e.target.value.replace(/\D/g, '').slice(0, 8))}
          />
        )}
        {problem && <Alert type="error" title={problem} data-testid="edit-problem" />}
      </Space>
    </Modal>
  );
}
