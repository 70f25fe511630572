// The slip's own texts on this till (the `slip` local setting, A6): lines under the store's name,
// the footer, and a second QR with the merchant's review or referral link ({buyer} becomes the
// buyer's id). The receipt's own QR for returns is always printed, so it is not a choice here.
// The core checks every value (CP866, lengths, the link) and its messages show at the fields.
import { Alert, Button, Card, Form, Input, Radio, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { noteOf, showIssues } from './field-issues.ts';

type SlipForm = {
  header: string;
  footer: string;
  qrKind: 'none' | 'review' | 'referral';
  qrLink: string;
  qrCaption: string;
};

// The stored setting as plain JSON; lines are edited one per row of a text area.
const storedSchema = z.object({
  header: z.array(z.string()).catch([]),
  footer: z.array(z.string()).catch(['Спасибо за покупку!']),
  qrKind: z.enum(['none', 'review', 'referral']).catch('none'),
  qrLink: z.string().catch(''),
  qrCaption: z.string().catch(''),
});

const fieldNames = ['header', 'footer', 'qrKind', 'qrLink', 'qrCaption'];
const toLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** The slip card; `stored` is the `slip` local setting as `settings.get` answers it. */
export function SlipCard({ stored }: { stored: unknown }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [form] = Form.useForm<SlipForm>();
  const qrKind = Form.useWatch('qrKind', form) ?? 'none';
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const s = storedSchema.parse(stored ?? {});
    form.setFieldsValue({ ...s, header: s.header.join('\n'), footer: s.footer.join('\n') });
  }, [stored, form]);

  const save = async (values: SlipForm) => {
    setBusy(true);
    const slip = {
      header: toLines(values.header),
      footer: toLines(values.footer),
      qrKind: values.qrKind,
      qrLink: values.qrLink.trim(),
      qrCaption: values.qrCaption.trim(),
    };
    const answer = await client.send('settings.set', { local: { slip } });
    setBusy(false);
    if (!answer.ok) {
      setNote({
        ok: false,
        text: noteOf(showIssues(form, answer.error, 'local.slip.', fieldNames), t('devices.fixFields')),
      });
      return;
    }
    setNote({ ok: true, text: t('slip.saved') });
  };

  return (
    <Card size="small" title={t('slip.title')} data-testid="slip-card">
      <Typography.Paragraph type="secondary">{t('slip.hint')}</Typography.Paragraph>
      {note && (
        <Alert
          type={note.ok ? 'success' : 'error'}
          title={note.text}
          style={{ marginBottom: 12 }}
          data-testid="slip-note"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ header: '', footer: '', qrKind: 'none', qrLink: '', qrCaption: '' }}
        onFinish={(values) => void save(values)}
      >
        <Space align="start" wrap>
          <Form.Item name="header" label={t('slip.header')} extra={t('slip.linesHint')}>
            <Input.TextArea rows={3} style={{ width: 360 }} data-testid="slip-header" />
          </Form.Item>
          <Form.Item name="footer" label={t('slip.footer')} extra={t('slip.linesHint')}>
            <Input.TextArea rows={3} style={{ width: 360 }} data-testid="slip-footer" />
          </Form.Item>
        </Space>
        <Form.Item name="qrKind" label={t('slip.qrKind')}>
          <Radio.Group
            data-testid="slip-qr-kind"
            name="qrKind"
            options={[
              { value: 'none', label: t('slip.qrKinds.none') },
              { value: 'review', label: t('slip.qrKinds.review') },
              { value: 'referral', label: t('slip.qrKinds.referral') },
            ]}
          />
        </Form.Item>
        {qrKind !== 'none' && (
          <Space align="start" wrap>
            <Form.Item
              name="qrLink"
              label={t('slip.qrLink')}
              extra={qrKind === 'referral' ? t('slip.referralHint') : undefined}
            >
              <Input
                style={{ width: 420 }}
                autoComplete="off"
                placeholder={
                  qrKind === 'referral' ? 'https://example.ru/r?ref={buyer}' : 'https://example.ru/otzyv'
                }
              />
            </Form.Item>
            <Form.Item name="qrCaption" label={t('slip.qrCaption')}>
              <Input
                style={{ width: 300 }}
                autoComplete="off"
                placeholder={qrKind === 'referral' ? t('slip.captionReferral') : t('slip.captionReview')}
              />
            </Form.Item>
          </Space>
        )}
        <Typography.Paragraph type="secondary">{t('slip.receiptQrNote')}</Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="save-slip">
          {t('devices.save')}
        </Button>
      </Form>
    </Card>
  );
}
