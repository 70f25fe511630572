// Happy hours (C4): days of the week and time windows (the merchant's time zone), an optional
// period, the card types, categories and stores they cover, and what they change: the accrual
// and/or the discount of the matching rules. The list is replaced as a whole
// (PUT /programme/happy-hours), and the server checks the resulting programme with the engine.
// A preview prices a sample receipt at a chosen date and time (happy-hour-preview.tsx).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { happyHourSchema } from '@loyalty/core/rules/snapshot.schema';
import type { happyHoursReplaceSchema } from '@loyalty/protocol/api/programme.schema';
import { api } from '#api/http-client.ts';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { CategoryTreeSelect, categoryPaths, useCategoryTree } from '#reference/category-tree.tsx';
import { namesById, useProgramme, useStores } from '#reference/reference-data.ts';
import { AccrualFields, accrualFromForm, accrualToForm, type AccrualForm } from './accrual-fields.tsx';
import { HappyHourPreview } from './happy-hour-preview.tsx';

type HappyHour = Omit<z.output<typeof happyHourSchema>, 'id'>;
type HappyHourBody = z.input<typeof happyHoursReplaceSchema>['happyHours'][number];
type HappyHourForm = {
  name: string;
  days: number[];
  windows: { from?: string; to?: string }[];
  period?: [Dayjs | null, Dayjs | null] | null;
  cardTypeIds: string[];
  categoryIds: string[];
  storeIds: string[];
  /** 'keep' leaves the rule's accrual as it is. */
  accrual: Omit<AccrualForm, 'kind'> & { kind: AccrualForm['kind'] | 'keep' };
  discountPercent?: number | null;
};

const toBody = (h: HappyHour): HappyHourBody => ({ ...h });

function toForm(h: HappyHour | null): HappyHourForm {
  return {
    name: h?.name ?? '',
    days: h?.days ?? [],
    windows: h?.windows ?? [{ from: '', to: '' }],
    period:
      h && (h.from !== null || h.to !== null)
        ? [h.from ? dayjs(h.from) : null, h.to ? dayjs(h.to) : null]
        : null,
    cardTypeIds: h?.cardTypeIds ?? [],
    categoryIds: h?.categoryIds ?? [],
    storeIds: h?.storeIds ?? [],
    accrual: h?.accrual ? accrualToForm(h.accrual) : { kind: 'keep' },
    discountPercent: h?.discountPercent === null || !h ? null : h.discountPercent / 100,
  };
}

function fromForm(v: HappyHourForm): HappyHourBody {
  return {
    name: v.name.trim(),
    days: [...v.days].sort(),
    windows: v.windows.map((w) => ({ from: (w.from ?? '').trim(), to: (w.to ?? '').trim() })),
    from: v.period?.[0]?.valueOf() ?? null,
    to: v.period?.[1]?.valueOf() ?? null,
    cardTypeIds: v.cardTypeIds,
    categoryIds: v.categoryIds,
    storeIds: v.storeIds,
    accrual: v.accrual.kind === 'keep' ? null : accrualFromForm({ ...v.accrual, kind: v.accrual.kind }),
    discountPercent:
      v.discountPercent === null || v.discountPercent === undefined
        ? null
        : Math.round(v.discountPercent * 100),
  };
}

/** The happy hours card of the programme page. */
export function HappyHours() {
  const { t } = useTranslation();
  const { format } = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const programme = useProgramme();
  const stores = useStores();
  const categories = useCategoryTree();
  const [form] = Form.useForm<HappyHourForm>();
  // null: closed; index -1: a new one.
  const [editing, setEditing] = useState<number | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const list: HappyHour[] = (programme.data?.happyHours ?? []).map(({ id: _id, ...h }) => h);
  const cardTypeNames = namesById(programme.data?.cardTypes);
  const storeNames = namesById(stores.data);
  const categoryNames = categoryPaths(categories.data);

  const save = useMutation({
    mutationFn: (next: HappyHourBody[]) =>
      api(z.object({ version: z.number() }), 'PUT', '/programme/happy-hours', { happyHours: next }),
    onSuccess: () => {
      setEditing(null);
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['programme'] });
    },
  });
  const open = (index: number) => {
    form.resetFields();
    form.setFieldsValue(toForm(index >= 0 ? (list[index] ?? null) : null));
    save.reset();
    setEditing(index);
  };
  const submit = (v: HappyHourForm) => {
    if (editing === null) return;
    const next = list.map(toBody);
    if (editing >= 0) next[editing] = fromForm(v);
    else next.push(fromForm(v));
    save.mutate(next);
  };
  const remove = (index: number) =>
    void modal.confirm({
      title: t('programmeEditor.deleteConfirm', { name: list[index]?.name || '—' }),
      onOk: () => save.mutateAsync(list.filter((_, i) => i !== index).map(toBody)),
    });

  const changes = (h: HappyHour) => {
    const parts: string[] = [];
    if (h.accrual) {
      const a = h.accrual;
      parts.push(
        a.kind === 'percent'
          ? t('programme.cell.accrual', { value: format.percent(a.percent) })
          : a.kind === 'per_amount'
            ? t('programme.cell.perAmount', {
                points: format.points(a.points),
                money: format.money(a.everyKopecks),
              })
            : a.kind === 'progressive'
              ? t('programme.cell.progressive', { count: a.tiers.length })
              : t('programme.cell.noAccrual'),
      );
    }
    if (h.discountPercent !== null)
      parts.push(t('programmeEditor.discountValue', { value: format.percent(h.discountPercent) }));
    return parts.join(' · ');
  };
  const scope = (h: HappyHour) => {
    const names = [
      ...h.cardTypeIds.map((id) => cardTypeNames.get(id) ?? id),
      ...h.categoryIds.map((id) => categoryNames.get(id) ?? id),
      ...h.storeIds.map((id) => storeNames.get(id) ?? id),
    ];
    return names.length > 0 ? names.join(', ') : t('programmeEditor.everyone');
  };

  return (
    <Card
      title={t('programmeEditor.happyHours')}
      size="small"
      extra={
        <Space>
          <ExportButton size="small" path="/exports/happy-hours.xlsx" data-testid="export-happy-hours" />
          <Button onClick={() => setPreviewing(true)} data-testid="happy-hour-preview">
            {t('programmeEditor.previewOpen')}
          </Button>
          <Button onClick={() => open(-1)} data-testid="new-happy-hour">
            {t('programmeEditor.newHappyHour')}
          </Button>
        </Space>
      }
    >
      <Table<HappyHour & { index: number }>
        rowKey="index"
        size="small"
        pagination={false}
        data-testid="happy-hours"
        locale={{ emptyText: t('programmeEditor.empty') }}
        dataSource={list.map((h, index) => ({ ...h, index }))}
        columns={[
          { title: t('programmeEditor.name'), render: (_, h) => h.name || '—' },
          {
            title: t('programmeEditor.days'),
            render: (_, h) => h.days.map((d) => t(`promotions.weekday.${d}`)).join(', '),
          },
          {
            title: t('programmeEditor.windows'),
            render: (_, h) => h.windows.map((w) => `${w.from}–${w.to}`).join(', '),
          },
          { title: t('programmeEditor.changes'), render: (_, h) => changes(h) },
          { title: t('programmeEditor.scope'), render: (_, h) => scope(h) },
          {
            title: t('common.actions'),
            render: (_, h) => (
              <Space>
                <Button size="small" type="link" onClick={() => open(h.index)}>
                  {t('programme.cell.edit')}
                </Button>
                <Button size="small" type="link" danger onClick={() => remove(h.index)}>
                  {t('programmeEditor.remove')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <HappyHourPreview open={previewing} onClose={() => setPreviewing(false)} />
      <Modal
        open={editing !== null}
        width={720}
        title={t('programmeEditor.happyHour')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'happy-hour-save' }}
        confirmLoading={save.isPending}
      >
        <Form<HappyHourForm> form={form} layout="vertical" name="happy-hour" onFinish={submit}>
          <Form.Item name="name" label={t('programmeEditor.name')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="days"
            label={t('programmeEditor.days')}
            rules={[{ type: 'array', min: 1, message: t('programmeEditor.daysRequired') }]}
          >
            <Checkbox.Group
              options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`promotions.weekday.${d}`) }))}
            />
          </Form.Item>
          <Form.List
            name="windows"
            rules={[
              {
                validator: (_, value?: unknown[]) =>
                  value && value.length > 0
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('programmeEditor.windowsRequired'))),
              },
            ]}
          >
            {(fields, { add, remove: removeWindow }, { errors }) => (
              <>
                <Typography.Text strong>{t('programmeEditor.windows')}</Typography.Text>
                {fields.map((field) => (
                  <Space key={field.key} align="start" wrap>
                    <Form.Item
                      name={[field.name, 'from']}
                      label={t('programmeEditor.windowFrom')}
                      rules={[{ required: true, pattern: /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ }]}
                    >
                      <Input style={{ width: 110 }} placeholder="15:00" />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'to']}
                      label={t('programmeEditor.windowTo')}
                      rules={[{ required: true, pattern: /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ }]}
                    >
                      <Input style={{ width: 110 }} placeholder="17:00" />
                    </Form.Item>
                    <Button style={{ marginTop: 30 }} onClick={() => removeWindow(field.name)}>
                      {t('programmeEditor.remove')}
                    </Button>
                  </Space>
                ))}
                <Form.ErrorList errors={errors} />
                <Form.Item>
                  <Button onClick={() => add({ from: '', to: '' })}>{t('programmeEditor.addWindow')}</Button>
                </Form.Item>
              </>
            )}
          </Form.List>
          <Form.Item name="period" label={t('programmeEditor.period')}>
            <DatePicker.RangePicker showTime allowEmpty={[true, true]} format="DD.MM.YYYY HH:mm" />
          </Form.Item>
          <Form.Item name="cardTypeIds" label={t('programmeEditor.cardTypes')}>
            <Select
              mode="multiple"
              allowClear
              options={(programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="categoryIds" label={t('programmeEditor.categories')}>
            <CategoryTreeSelect />
          </Form.Item>
          <Form.Item name="storeIds" label={t('programmeEditor.stores')}>
            <Select
              mode="multiple"
              allowClear
              optionFilterProp="label"
              options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <AccrualFields
            name={['accrual']}
            label={t('programmeEditor.accrualOverride')}
            extraKinds={[{ value: 'keep', label: t('programmeEditor.keepAccrual') }]}
          />
          <Form.Item
            name="discountPercent"
            label={t('programmeEditor.discountOverride')}
            dependencies={[['accrual', 'kind']]}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value?: number | null) =>
                  getFieldValue(['accrual', 'kind']) === 'keep' && (value === null || value === undefined)
                    ? Promise.reject(new Error(t('programmeEditor.changeRequired')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <InputNumber min={0} max={100} />
          </Form.Item>
          {save.isError && <Alert type="error" title={save.error.message} showIcon />}
        </Form>
      </Modal>
    </Card>
  );
}
