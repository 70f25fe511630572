// Scanners of this till: the configured serial and HID POS scanners with their live state, a form
// to add one from what is connected now, and removal. Every change is one `settings.set`, after
// which the core restarts the scanners. Keyboard-wedge scanners need nothing here.
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Form,
  InputNumber,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import {
  baudRates,
  charsets,
  parities,
  serialSummary,
  suffixes,
  type DeviceList,
  type DeviceStatus,
  type ScannerSetting,
} from './device-settings-types.ts';

type SerialForm = {
  kind: 'serial';
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: (typeof parities)[number];
  stopBits: 1 | 1.5 | 2;
  suffix: (typeof suffixes)[number];
  /** With no suffix, this much silence (ms) ends a code. */
  interCharTimeoutMs: number;
  charset: (typeof charsets)[number];
};
type HidForm = { kind: 'hid'; device: string; charset: (typeof charsets)[number] };

const hex = (n: number) => n.toString(16).padStart(4, '0');

/** The scanners card; `status` and `list` come from the screen, which refreshes them. */
export function ScannersCard({
  status,
  list,
  onChanged,
  onRefreshList,
}: {
  status: DeviceStatus | null;
  list: DeviceList | null;
  onChanged: () => void;
  onRefreshList: () => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [kind, setKind] = useState<'serial' | 'hid'>('serial');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<SerialForm | HidForm>();
  const suffix = Form.useWatch('suffix', form) as SerialForm['suffix'] | undefined;
  const configured = status?.scanners ?? [];

  const save = async (scanners: ScannerSetting[]) => {
    setBusy(true);
    const answer = await client.send('settings.set', { local: { scanners } });
    setBusy(false);
    if (!answer.ok) {
      const issues = (answer.error.details as { issues?: { message: string }[] } | undefined)?.issues ?? [];
      setProblem([answer.error.message, ...issues.map((i) => i.message)].join(' '));
      return false;
    }
    setProblem(null);
    onChanged();
    return true;
  };

  const add = async (values: SerialForm | HidForm) => {
    let next: ScannerSetting;
    if (values.kind === 'serial') {
      next = { ...values, path: values.path.trim() };
    } else {
      const device = list?.hidDevices.find((d) => d.path === values.device);
      if (!device) return setProblem(t('devices.pickHid'));
      // By vendor and product id: the hidraw path may change when the scanner is plugged again.
      next = { kind: 'hid', vendorId: device.vendorId, productId: device.productId, charset: values.charset };
    }
    if (await save([...configured.map((c) => c.setting), next])) form.resetFields(['path', 'device']);
  };

  const suffixName = (suffix: string) => t(`devices.suffix.${suffix as (typeof suffixes)[number]}`);

  return (
    <Card
      size="small"
      title={t('devices.scanners')}
      extra={
        <Button size="small" onClick={onRefreshList} data-testid="refresh-devices">
          {t('devices.refresh')}
        </Button>
      }
      data-testid="scanners-card"
    >
      <Typography.Paragraph type="secondary">{t('devices.wedgeHint')}</Typography.Paragraph>
      {problem && (
        <Alert type="error" title={problem} style={{ marginBottom: 12 }} data-testid="scanner-problem" />
      )}
      {status?.settingProblem && (
        <Alert type="warning" title={status.settingProblem.message} style={{ marginBottom: 12 }} />
      )}
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={configured}
        locale={{ emptyText: t('devices.noScanners') }}
        data-testid="scanner-list"
        columns={[
          {
            title: t('devices.device'),
            render: (_, row) =>
              row.setting.kind === 'serial'
                ? `${t('devices.kind.serial')} ${row.setting.path}`
                : `${t('devices.kind.hid')} ${row.setting.path ?? `${hex(row.setting.vendorId ?? 0)}:${hex(row.setting.productId ?? 0)}`}`,
          },
          {
            title: t('devices.parameters'),
            render: (_, row) =>
              row.setting.kind === 'serial'
                ? serialSummary(row.setting, suffixName, (value) => t('devices.ms', { value }))
                : row.setting.charset,
          },
          {
            title: t('devices.state'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <Tag
                  color={row.state === 'open' ? 'green' : row.state === 'waiting' ? 'orange' : 'default'}
                  data-testid="scanner-state"
                >
                  {t(`devices.states.${row.state}`)}
                </Tag>
                {row.problem && <Typography.Text type="secondary">{row.problem.message}</Typography.Text>}
              </Space>
            ),
          },
          { title: t('devices.scans'), dataIndex: 'scans', width: 90 },
          {
            title: '',
            width: 110,
            render: (_, row, index) => (
              <Button
                size="small"
                danger
                disabled={busy}
                data-testid={`remove-scanner-${index}`}
                onClick={() => void save(configured.filter((c) => c.key !== row.key).map((c) => c.setting))}
              >
                {t('devices.remove')}
              </Button>
            ),
          },
        ]}
      />

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('devices.addTitle')}
      </Typography.Title>
      <Form
        form={form}
        layout="inline"
        initialValues={{
          kind: 'serial',
          path: '',
          baudRate: 9600,
          dataBits: 8,
          parity: 'none',
          stopBits: 1,
          suffix: 'cr',
          interCharTimeoutMs: 50,
          charset: 'utf-8',
        }}
        onValuesChange={(changed: Partial<SerialForm | HidForm>) => {
          if (changed.kind) setKind(changed.kind);
        }}
        onFinish={(values) => void add(values)}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="kind" label={t('devices.kindLabel')}>
          <Radio.Group
            options={[
              { value: 'serial', label: t('devices.kind.serial') },
              { value: 'hid', label: t('devices.kind.hid') },
            ]}
          />
        </Form.Item>
        {kind === 'serial' ? (
          <>
            <Form.Item
              name="path"
              label={t('devices.port')}
              rules={[{ required: true, message: t('devices.portRequired') }]}
            >
              <AutoComplete
                style={{ width: 260 }}
                placeholder="/dev/ttyACM0"
                data-testid="scanner-port"
                options={(list?.serialPorts ?? []).map((p) => ({
                  value: p.path,
                  label: p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path,
                }))}
              />
            </Form.Item>
            <Form.Item name="baudRate" label={t('devices.baudRate')}>
              <Select
                style={{ width: 110 }}
                options={baudRates.map((b) => ({ value: b, label: String(b) }))}
              />
            </Form.Item>
            <Form.Item name="suffix" label={t('devices.suffixLabel')}>
              <Select
                style={{ width: 170 }}
                data-testid="scanner-suffix"
                options={suffixes.map((s) => ({ value: s, label: suffixName(s) }))}
              />
            </Form.Item>
            {suffix === 'none' && (
              <Form.Item
                name="interCharTimeoutMs"
                label={t('devices.pauseMs')}
                tooltip={t('devices.pauseHint')}
                rules={[{ required: true, message: t('devices.pauseRequired') }]}
              >
                <InputNumber min={10} max={2000} precision={0} style={{ width: 100 }} />
              </Form.Item>
            )}
            <Form.Item name="dataBits" label={t('devices.dataBits')}>
              <Select
                style={{ width: 70 }}
                options={[5, 6, 7, 8].map((b) => ({ value: b, label: String(b) }))}
              />
            </Form.Item>
            <Form.Item name="parity" label={t('devices.parityLabel')}>
              <Select
                style={{ width: 130 }}
                options={parities.map((p) => ({ value: p, label: t(`devices.parity.${p}`) }))}
              />
            </Form.Item>
            <Form.Item name="stopBits" label={t('devices.stopBits')}>
              <Select
                style={{ width: 80 }}
                options={[1, 1.5, 2].map((b) => ({ value: b, label: String(b) }))}
              />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="device"
            label={t('devices.hidDevice')}
            rules={[{ required: true, message: t('devices.pickHid') }]}
          >
            <Select
              style={{ width: 360 }}
              notFoundContent={list?.hidProblem?.message ?? t('devices.noHid')}
              options={(list?.hidDevices ?? []).map((d) => ({
                value: d.path,
                label: `${d.product ?? d.manufacturer ?? t('devices.kind.hid')} (${hex(d.vendorId)}:${hex(d.productId)})`,
              }))}
            />
          </Form.Item>
        )}
        <Form.Item name="charset" label={t('devices.charset')}>
          <Select style={{ width: 150 }} options={charsets.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="add-scanner">
            {t('devices.add')}
          </Button>
        </Form.Item>
      </Form>
      {list?.serialProblem && (
        <Alert type="warning" title={list.serialProblem.message} style={{ marginTop: 12 }} />
      )}
    </Card>
  );
}
