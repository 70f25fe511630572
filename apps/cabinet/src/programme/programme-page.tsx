// Programme (C1-C4, B3 limits): type, default card type, downgrade and code settings, offline
// redemption limits; card types with thresholds (archived when no buyer holds them and they are
// not the default); the rules matrix of card type x category; happy hours.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, InputNumber, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { programmeSettingsSchema } from '@loyalty/protocol/api/programme.schema';
import { api, apiNoContent } from '#api/http-client.ts';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { useProgramme } from '#reference/reference-data.ts';
import { CardTypeDialog } from './card-type-dialog.tsx';
import { HappyHours } from './happy-hours.tsx';
import { RulesMatrix } from './rules-matrix.tsx';

type Settings = z.output<typeof programmeSettingsSchema>;
type Limits = Settings['offlineLimits'];
/** The limits in points as typed (null: no limit); the API wants hundredths. */
type SettingsForm = Pick<
  Settings,
  'type' | 'defaultCardTypeId' | 'allowDowngrade' | 'redemptionRequiresCode'
> & {
  limits: Omit<
    Limits,
    'maxPointsPerReceipt' | 'maxPointsPerBuyerPerDay' | 'maxPointsPerTerminalSinceSync'
  > & {
    maxPointsPerReceipt: number | null;
    maxPointsPerBuyerPerDay: number | null;
    maxPointsPerTerminalSinceSync: number | null;
  };
};

const toPoints = (v: number | null) => (v === null ? null : v / 100);
const toHundredths = (v: number | null | undefined) =>
  v === null || v === undefined ? null : Math.round(v * 100);

/** The programme page. */
export function ProgrammePage() {
  const { t } = useTranslation();
  const { format } = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const programme = useProgramme();
  const settings = programme.data?.settings ?? null;
  const cardTypes = programme.data?.cardTypes ?? [];
  const [cardTypeDialog, setCardTypeDialog] = useState<{ editing: (typeof cardTypes)[number] | null } | null>(
    null,
  );
  // A new card type starts from the default type's default rule (without its id).
  const defaultRule = programme.data?.rules
    .map(({ id: _id, ...rule }) => rule)
    .find((r) => r.cardTypeId === settings?.defaultCardTypeId && r.categoryId === null);
  const save = useMutation({
    mutationFn: (form: SettingsForm) => {
      if (!settings) throw new Error(t('errors.unknown'));
      const body: Settings = {
        ...settings,
        type: form.type,
        defaultCardTypeId: form.defaultCardTypeId,
        allowDowngrade: form.allowDowngrade,
        redemptionRequiresCode: form.redemptionRequiresCode,
        offlineLimits: {
          ...form.limits,
          maxPointsPerReceipt: toHundredths(form.limits.maxPointsPerReceipt),
          maxPointsPerBuyerPerDay: toHundredths(form.limits.maxPointsPerBuyerPerDay),
          maxPointsPerTerminalSinceSync: toHundredths(form.limits.maxPointsPerTerminalSinceSync),
        } as Limits,
      };
      return api(programmeSettingsSchema, 'PUT', '/programme/settings', body);
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['programme'] });
    },
  });

  const archive = useMutation({
    mutationFn: (id: string) => apiNoContent('DELETE', `/card-types/${id}`),
    onSuccess: () => {
      void message.success(t('programmeEditor.archived'));
      void queryClient.invalidateQueries({ queryKey: ['programme'] });
    },
    // The server says why (the default type, or buyers still hold it).
    onError: (error) => void message.error(error.message),
  });

  if (programme.isPending) return <Card loading />;
  const initial: SettingsForm | undefined = settings
    ? {
        type: settings.type,
        defaultCardTypeId: settings.defaultCardTypeId,
        allowDowngrade: settings.allowDowngrade,
        redemptionRequiresCode: settings.redemptionRequiresCode,
        limits: {
          ...settings.offlineLimits,
          maxPointsPerReceipt: toPoints(settings.offlineLimits.maxPointsPerReceipt),
          maxPointsPerBuyerPerDay: toPoints(settings.offlineLimits.maxPointsPerBuyerPerDay),
          maxPointsPerTerminalSinceSync: toPoints(settings.offlineLimits.maxPointsPerTerminalSinceSync),
        },
      }
    : undefined;

  const limit = (name: keyof SettingsForm['limits'], label: string, min = 0) => (
    <Form.Item name={['limits', name]} label={label}>
      <InputNumber min={min} style={{ width: 200 }} />
    </Form.Item>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('programme.title')}
      </Typography.Title>
      <Card title={t('programme.settings')} size="small">
        {initial ? (
          <Form<SettingsForm> layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
            <Space wrap size="large" align="start">
              <Form.Item name="type" label={t('programme.type')}>
                <Select
                  style={{ width: 220 }}
                  options={(['bonus', 'discount', 'combined'] as const).map((v) => ({
                    value: v,
                    label: t(`programme.typeValue.${v}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="defaultCardTypeId" label={t('programme.default')}>
                <Select
                  style={{ width: 220 }}
                  options={cardTypes.map((c) => ({ value: c.id, label: c.name }))}
                />
              </Form.Item>
              <Form.Item name="allowDowngrade" label={t('programme.allowDowngrade')} valuePropName="checked">
                <Switch />
              </Form.Item>
              <Form.Item
                name="redemptionRequiresCode"
                label={t('programme.requiresCode')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            </Space>
            <Typography.Title level={5}>{t('programme.offlineLimits')}</Typography.Title>
            <Space wrap size="large" align="start">
              {limit('maxSnapshotAgeHours', t('programme.limit.maxSnapshotAgeHours'), 1)}
              {limit('maxOfflineHours', t('programme.limit.maxOfflineHours'), 1)}
              {limit('maxPointsPerReceipt', t('programme.limit.maxPointsPerReceipt'))}
              {limit('maxPointsPerBuyerPerDay', t('programme.limit.maxPointsPerBuyerPerDay'))}
              {limit('maxPointsPerTerminalSinceSync', t('programme.limit.maxPointsPerTerminalSinceSync'))}
              {limit('maxClockSkewMinutes', t('programme.limit.maxClockSkewMinutes'), 1)}
            </Space>
            {save.isError && (
              <Alert type="error" title={save.error.message} showIcon style={{ marginBottom: 12 }} />
            )}
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Form>
        ) : (
          <Alert type="info" title={t('programme.notConfigured')} />
        )}
      </Card>
      <Card
        title={t('programme.cardTypes')}
        size="small"
        extra={
          <Space>
            <ExportButton size="small" path="/exports/card-types.xlsx" data-testid="export-card-types" />
            <Button onClick={() => setCardTypeDialog({ editing: null })} data-testid="new-card-type">
              {t('programme.newCardType')}
            </Button>
          </Space>
        }
      >
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={cardTypes}
          columns={[
            { title: t('terminals.name'), dataIndex: 'name' },
            { title: t('programme.rank'), dataIndex: 'rank' },
            { title: t('programme.threshold'), render: (_, c) => format.money(c.threshold) },
            { title: t('programme.issue'), render: (_, c) => t(`programme.issueValue.${c.issue}`) },
            {
              title: t('common.actions'),
              render: (_, c) => (
                <Space>
                  <Button size="small" type="link" onClick={() => setCardTypeDialog({ editing: c })}>
                    {t('programme.cell.edit')}
                  </Button>
                  {c.id !== settings?.defaultCardTypeId && (
                    <Button
                      size="small"
                      type="link"
                      danger
                      data-testid={`archive-card-type-${c.name}`}
                      onClick={() =>
                        void modal.confirm({
                          title: t('programmeEditor.archiveConfirm', { name: c.name }),
                          onOk: () => archive.mutateAsync(c.id),
                        })
                      }
                    >
                      {t('programmeEditor.archive')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card
        title={t('programme.rules')}
        size="small"
        extra={<ExportButton size="small" path="/exports/rules.xlsx" data-testid="export-rules" />}
      >
        <RulesMatrix />
      </Card>
      <HappyHours />
      <CardTypeDialog
        open={cardTypeDialog !== null}
        editing={cardTypeDialog?.editing ?? null}
        defaultRule={defaultRule}
        onClose={() => setCardTypeDialog(null)}
      />
    </Space>
  );
}
