// Merchant settings (issue 6): the name and the IANA time zone every report and date of the cabinet
// counts in; the currency is fixed at creation and shown read-only. Owners and admins only; the
// server audits each change. After a save the session is re-read, so dates follow the new zone.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Result, Select, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiFailure } from '#api/http-client.ts';
import { sessionQueryKey } from '#auth/session-api.ts';
import { useSession } from '#auth/session-context.tsx';
import { fetchMerchantSettings, timeZoneOptions, updateMerchantSettings } from './settings-api.ts';

type SettingsForm = { name: string; timeZone: string };

/** The merchant settings screen. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { format } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SettingsForm>();
  const settings = useQuery({ queryKey: ['merchant-settings'], queryFn: fetchMerchantSettings });
  const zones = useMemo(() => timeZoneOptions().map((z) => ({ value: z, label: z })), []);
  const save = useMutation({
    mutationFn: (v: SettingsForm) => updateMerchantSettings({ name: v.name, timeZone: v.timeZone }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['merchant-settings'], saved);
      void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
      void message.success(t('settings.saved'));
    },
    onError: (error) => {
      if (!isApiFailure(error)) return;
      const details = error.details as { issues?: Array<{ path: string; message: string }> } | null;
      const fields = (details?.issues ?? []).flatMap((i) => {
        const name = i.path.replace(/^body\./, '');
        return name === 'name' || name === 'timeZone' ? [{ name, errors: [i.message] }] : [];
      });
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
    },
  });

  if (settings.isError) return <Result status="warning" title={settings.error.message} />;
  const data = settings.data;
  if (!data) return <Card loading />;
  return (
    <Card title={t('settings.title')} style={{ maxWidth: 560 }}>
      <Form<SettingsForm>
        form={form}
        name="settings"
        layout="vertical"
        initialValues={{ name: data.name, timeZone: data.timeZone }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="name"
          label={t('settings.name')}
          rules={[{ required: true, whitespace: true, message: t('settings.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('settings.timeZone')} extra={t('settings.timeZoneHint')}>
          <Select showSearch options={zones} data-testid="time-zone" />
        </Form.Item>
        <Form.Item label={t('settings.currency')} extra={t('settings.currencyHint')}>
          <Typography.Text strong data-testid="currency">
            {data.currency}
          </Typography.Text>
        </Form.Item>
        <Form.Item label={t('settings.createdAt')}>
          <Typography.Text>{format.dateTime(data.createdAt)}</Typography.Text>
        </Form.Item>
        {save.isError && (
          <Alert type="error" title={save.error.message} showIcon style={{ marginBottom: 16 }} />
        )}
        <Button type="primary" htmlType="submit" loading={save.isPending} id="settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
