// The receipt printer of this till (the `printer` local setting): network (TCP 9100), a device
// file (USB /dev/usb/lp0, COM /dev/ttyUSB0) or none; line width, the printer's ESC t number for
// CP866, the cut (none for a printer without a cutter), lines fed before it and the QR size.
// "Test print" saves the form first, then prints the test page on it.
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { noteOf, showIssues } from './field-issues.ts';

type PrinterForm = {
  transport: 'none' | 'tcp' | 'file';
  host: string;
  port: number;
  path: string;
  columns: number;
  codepage: number;
  cut: 'partial' | 'full' | 'none';
  feedBeforeCut: number;
  qrSize: number;
};

const defaults: PrinterForm = {
  transport: 'none',
  host: '',
  port: 9100,
  path: '',
  columns: 42,
  codepage: 17,
  cut: 'partial',
  feedBeforeCut: 4,
  qrSize: 6,
};

// The stored setting arrives as plain JSON: read what the form knows, defaults for the rest.
const storedSchema = z.object({
  transport: z.enum(['none', 'tcp', 'file']).catch('none'),
  host: z.string().catch(''),
  port: z.int().catch(9100),
  path: z.string().catch(''),
  columns: z.int().catch(42),
  codepage: z.int().catch(17),
  cut: z.enum(['partial', 'full', 'none']).catch('partial'),
  feedBeforeCut: z.int().catch(4),
  qrSize: z.int().catch(6),
});

const fieldNames = ['host', 'port', 'path', 'columns', 'codepage', 'cut', 'feedBeforeCut', 'qrSize'];

function toSetting(v: PrinterForm) {
  const layout = {
    columns: v.columns,
    codepage: v.codepage,
    cut: v.cut,
    feedBeforeCut: v.feedBeforeCut,
    qrSize: v.qrSize,
  };
  if (v.transport === 'tcp')
    return { transport: 'tcp' as const, host: v.host.trim(), port: v.port, ...layout };
  if (v.transport === 'file') return { transport: 'file' as const, path: v.path.trim(), ...layout };
  return { transport: 'none' as const };
}

/** The printer card. */
export function PrinterCard({ stored }: { stored: unknown }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [form] = Form.useForm<PrinterForm>();
  const transport = Form.useWatch('transport', form) ?? 'none';
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const parsed = storedSchema.safeParse({ ...defaults, ...(stored as object | null) });
    form.setFieldsValue(parsed.success ? parsed.data : defaults);
  }, [stored, form]);

  const save = async (): Promise<boolean> => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return false;
    setBusy(true);
    const answer = await client.send('settings.set', { local: { printer: toSetting(values) } });
    setBusy(false);
    if (!answer.ok) {
      setNote({
        ok: false,
        text: noteOf(showIssues(form, answer.error, 'local.printer.', fieldNames), t('devices.fixFields')),
      });
      return false;
    }
    setNote({ ok: true, text: t('devices.printerSaved') });
    return true;
  };

  const testPrint = async () => {
    if (!(await save())) return;
    setBusy(true);
    const answer = await client.send('printer.test', {});
    setBusy(false);
    setNote(
      answer.ok
        ? { ok: true, text: t('devices.testPrinted', { printer: answer.value.printer }) }
        : { ok: false, text: t('devices.testFailed', { message: answer.error.message }) },
    );
  };

  return (
    <Card size="small" title={t('devices.printer')} data-testid="printer-card">
      {note && (
        <Alert
          type={note.ok ? 'success' : 'error'}
          title={note.text}
          style={{ marginBottom: 12 }}
          data-testid="printer-note"
        />
      )}
      <Form form={form} layout="vertical" initialValues={defaults} onFinish={() => void save()}>
        <Form.Item name="transport" label={t('devices.transport')}>
          <Radio.Group
            data-testid="printer-transport"
            name="printerTransport"
            options={[
              { value: 'none', label: t('devices.transports.none') },
              { value: 'tcp', label: t('devices.transports.tcp') },
              { value: 'file', label: t('devices.transports.file') },
            ]}
          />
        </Form.Item>
        {transport === 'tcp' && (
          <Space align="start">
            <Form.Item
              name="host"
              label={t('devices.host')}
              rules={[{ required: true, whitespace: true, message: t('devices.hostRequired') }]}
            >
              <Input style={{ width: 240 }} autoComplete="off" placeholder="192.168.1.50" />
            </Form.Item>
            <Form.Item name="port" label={t('devices.tcpPort')} rules={[{ required: true }]}>
              <InputNumber min={1} max={65535} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        )}
        {transport === 'file' && (
          <Form.Item
            name="path"
            label={t('devices.path')}
            rules={[{ required: true, whitespace: true, message: t('devices.pathRequired') }]}
          >
            <Input style={{ width: 360 }} autoComplete="off" placeholder="/dev/usb/lp0" />
          </Form.Item>
        )}
        {transport !== 'none' && (
          <Space align="start">
            <Form.Item name="columns" label={t('devices.columns')} rules={[{ required: true }]}>
              <InputNumber min={24} max={64} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="codepage" label={t('devices.codepage')} rules={[{ required: true }]}>
              <InputNumber min={0} max={255} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="qrSize" label={t('devices.qrSize')} rules={[{ required: true }]}>
              <InputNumber min={1} max={8} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        )}
        {transport !== 'none' && (
          <Space align="start" wrap>
            <Form.Item name="cut" label={t('devices.cutLabel')}>
              <Radio.Group
                data-testid="printer-cut"
                name="printerCut"
                options={[
                  { value: 'partial', label: t('devices.cut.partial') },
                  { value: 'full', label: t('devices.cut.full') },
                  { value: 'none', label: t('devices.cut.none') },
                ]}
              />
            </Form.Item>
            <Form.Item name="feedBeforeCut" label={t('devices.feedBeforeCut')} rules={[{ required: true }]}>
              <InputNumber min={0} max={10} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="save-printer">
            {t('devices.save')}
          </Button>
          <Button
            disabled={transport === 'none'}
            loading={busy}
            onClick={() => void testPrint()}
            data-testid="test-print"
          >
            {t('devices.testPrint')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
