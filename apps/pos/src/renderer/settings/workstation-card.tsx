// The desktop shell's settings of this till (A11): how the window opens and which update channel
// it follows (local settings `windowMode` and `updateChannel`, read by src/main at start). The core
// checks them; its Russian messages show at the fields.
import { Alert, AutoComplete, Button, Card, Form, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { noteOf, showIssues } from './field-issues.ts';

type WorkstationForm = { windowMode: 'window' | 'fullscreen' | 'kiosk'; updateChannel: string };

const storedSchema = z.object({
  windowMode: z.enum(['window', 'fullscreen', 'kiosk']).catch('window'),
  updateChannel: z.string().catch('stable'),
});

/** The workstation card; `stored` is every local setting as `settings.get` answers them. */
export function WorkstationCard({ stored }: { stored: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [form] = Form.useForm<WorkstationForm>();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // In the desktop shell the preload puts `window.terminal` there; browser mode has none.
  const desktop = typeof (window as { terminal?: unknown }).terminal === 'object';

  useEffect(() => {
    form.setFieldsValue(storedSchema.parse({ ...stored }));
  }, [stored, form]);

  const save = async (values: WorkstationForm) => {
    setBusy(true);
    const answer = await client.send('settings.set', {
      local: { windowMode: values.windowMode, updateChannel: values.updateChannel.trim() },
    });
    setBusy(false);
    if (!answer.ok) {
      setNote({
        ok: false,
        text: noteOf(
          showIssues(form, answer.error, 'local.', ['windowMode', 'updateChannel']),
          t('devices.fixFields'),
        ),
      });
      return;
    }
    setNote({ ok: true, text: t('workstation.saved') });
  };

  return (
    <Card size="small" title={t('workstation.title')} data-testid="workstation-card">
      <Alert
        type="info"
        title={t('workstation.windowNote')}
        description={desktop ? undefined : t('workstation.browserMode')}
        style={{ marginBottom: 12 }}
        data-testid="workstation-window-note"
      />
      {note && (
        <Alert
          type={note.ok ? 'success' : 'error'}
          title={note.text}
          style={{ marginBottom: 12 }}
          data-testid="workstation-note"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ windowMode: 'window', updateChannel: 'stable' }}
        onFinish={(values) => void save(values)}
      >
        <Form.Item name="windowMode" label={t('workstation.windowMode')}>
          <Radio.Group
            data-testid="window-mode"
            name="windowMode"
            options={[
              { value: 'window', label: t('workstation.modes.window') },
              { value: 'fullscreen', label: t('workstation.modes.fullscreen') },
              { value: 'kiosk', label: t('workstation.modes.kiosk') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="updateChannel"
          label={t('workstation.updateChannel')}
          extra={t('workstation.channelHint')}
        >
          <AutoComplete
            style={{ width: 240 }}
            data-testid="update-channel"
            options={['stable', 'beta'].map((value) => ({ value }))}
          />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('workstation.kioskHint')}</Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="save-workstation">
          {t('devices.save')}
        </Button>
      </Form>
    </Card>
  );
}
