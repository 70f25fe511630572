// Create or edit a promotion (C5): name, priority, period, the common effects (percent or sum
// off, fixed price, extra points, flags only), targeting by category, store, card type, weekday
// and card, a receipt minimum, stacking and flags; archive. Fields this form does not show
// (ladders, buy X get Y, gifts, required sets, limits...) are kept as they are on save.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { kopecks } from '@loyalty/core/money/money';
import { categoryNodeSchema } from '@loyalty/protocol/api/catalogue.schema';
import { promotionViewSchema, type promotionBodySchema } from '@loyalty/protocol/api/programme.schema';
import { api } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { useProgramme, useStores } from '#reference/reference-data.ts';

type Promotion = z.output<typeof promotionViewSchema>;
type PromotionBody = z.input<typeof promotionBodySchema>;
const simpleEffects = [
  'discount_percent',
  'discount_amount',
  'fixed_price',
  'points_percent',
  'flags_only',
] as const;
type SimpleEffect = (typeof simpleEffects)[number];

type EditorForm = {
  name: string;
  priority: number;
  period?: [Dayjs | null, Dayjs | null] | null;
  effectKind: SimpleEffect | 'other';
  percent?: number;
  amount?: number;
  per?: 'receipt' | 'unit';
  categoryIds: string[];
  storeIds: string[];
  cardTypeIds: string[];
  days: number[];
  requiresCard: boolean;
  minReceiptAmount?: number | null;
  stackable: boolean;
  exclusivityGroup?: string;
  forbidPointsPayment: boolean;
  noAccrualOnDiscounted: boolean;
  requiresConfirmationCode: boolean;
};

const percentOf = (basisPoints: number) => basisPoints / 100;
const basis = (percent: number | undefined) => Math.round((percent ?? 0) * 100);
const money = (roubles: number | null | undefined) =>
  roubles === null || roubles === undefined ? null : kopecks(Math.round(roubles * 100));

function toForm(p: Promotion | null): EditorForm {
  const effect = p?.effect;
  const kind =
    effect && (simpleEffects as readonly string[]).includes(effect.kind)
      ? (effect.kind as SimpleEffect)
      : effect
        ? 'other'
        : 'discount_percent';
  return {
    name: p?.name ?? '',
    priority: p?.priority ?? 0,
    period: p ? [p.from ? dayjs(p.from) : null, p.to ? dayjs(p.to) : null] : null,
    effectKind: kind,
    percent:
      effect?.kind === 'discount_percent' || effect?.kind === 'points_percent'
        ? percentOf(effect.percent)
        : 10,
    amount:
      effect?.kind === 'discount_amount'
        ? effect.amount / 100
        : effect?.kind === 'fixed_price'
          ? effect.price / 100
          : undefined,
    per: effect?.kind === 'discount_amount' ? effect.per : 'receipt',
    categoryIds: p?.targeting.categoryIds ?? [],
    storeIds: p?.targeting.storeIds ?? [],
    cardTypeIds: p?.targeting.cardTypeIds ?? [],
    days: p?.targeting.days ?? [],
    requiresCard: p?.targeting.requiresCard ?? false,
    minReceiptAmount:
      p?.conditions.minReceiptAmount === null || !p ? null : p.conditions.minReceiptAmount / 100,
    stackable: p?.stacking.stackable ?? true,
    exclusivityGroup: p?.stacking.exclusivityGroup ?? '',
    forbidPointsPayment: p?.flags.forbidPointsPayment ?? false,
    noAccrualOnDiscounted: p?.flags.noAccrualOnDiscounted ?? false,
    requiresConfirmationCode: p?.flags.requiresConfirmationCode ?? false,
  };
}

function effectOf(v: EditorForm, existing: Promotion | null): PromotionBody['effect'] {
  switch (v.effectKind) {
    case 'discount_percent':
      return { kind: 'discount_percent', percent: basis(v.percent) };
    case 'points_percent':
      return { kind: 'points_percent', percent: basis(v.percent) };
    case 'discount_amount':
      return { kind: 'discount_amount', amount: money(v.amount) ?? kopecks(0), per: v.per ?? 'receipt' };
    case 'fixed_price':
      return { kind: 'fixed_price', price: money(v.amount) ?? kopecks(0) };
    case 'flags_only':
      return { kind: 'flags_only' };
    case 'other':
      if (!existing) throw new Error('a new promotion needs an effect');
      return existing.effect;
  }
}

function bodyOf(v: EditorForm, existing: Promotion | null): PromotionBody {
  const {
    id: _id,
    state: _s,
    createdAt: _c,
    updatedAt: _u,
    ...kept
  } = existing ?? ({} as Partial<Promotion>);
  return {
    ...kept,
    name: v.name.trim(),
    priority: v.priority,
    from: v.period?.[0]?.valueOf() ?? null,
    to: v.period?.[1]?.valueOf() ?? null,
    effect: effectOf(v, existing),
    targeting: {
      ...existing?.targeting,
      categoryIds: v.categoryIds,
      storeIds: v.storeIds,
      cardTypeIds: v.cardTypeIds,
      days: v.days,
      requiresCard: v.requiresCard,
    },
    conditions: { ...existing?.conditions, minReceiptAmount: money(v.minReceiptAmount) },
    stacking: {
      ...existing?.stacking,
      stackable: v.stackable,
      exclusivityGroup: v.exclusivityGroup?.trim() || null,
    },
    flags: {
      forbidPointsPayment: v.forbidPointsPayment,
      noAccrualOnDiscounted: v.noAccrualOnDiscounted,
      requiresConfirmationCode: v.requiresConfirmationCode,
    },
  };
}

/** The editor drawer; `promotion` null creates one. */
export function PromotionEditor(props: { open: boolean; promotion: Promotion | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditorForm>();
  const stores = useStores();
  const programme = useProgramme();
  const categories = useQuery({
    queryKey: ['categories', 'tree'],
    queryFn: () => api(z.array(categoryNodeSchema), 'GET', '/categories/tree'),
    enabled: props.open,
  });
  useEffect(() => {
    if (props.open) form.setFieldsValue(toForm(props.promotion));
  }, [props.open, props.promotion, form]);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: ['promotions'] });
    props.onClose();
  };
  const save = useMutation({
    mutationFn: (v: EditorForm) =>
      props.promotion
        ? api(promotionViewSchema, 'PUT', `/promotions/${props.promotion.id}`, bodyOf(v, props.promotion))
        : api(promotionViewSchema, 'POST', '/promotions', bodyOf(v, null)),
    onSuccess: done,
  });
  const archive = useMutation({
    mutationFn: (id: string) => api(promotionViewSchema, 'POST', `/promotions/${id}/archive`),
    onSuccess: done,
  });
  const effectKind = Form.useWatch('effectKind', form);
  const writable = can('promotions:write');

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      size="large"
      title={props.promotion ? props.promotion.name : t('promotions.create')}
      extra={
        <Space>
          {props.promotion && writable && props.promotion.state !== 'archived' && (
            <Button
              danger
              onClick={() => {
                const id = props.promotion?.id;
                if (id)
                  void modal.confirm({
                    title: t('promotions.archiveConfirm'),
                    onOk: () => archive.mutateAsync(id),
                  });
              }}
            >
              {t('promotions.archive')}
            </Button>
          )}
          {writable && (
            <Button
              type="primary"
              loading={save.isPending}
              onClick={() => form.submit()}
              data-testid="promotion-save"
            >
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      <Form<EditorForm>
        form={form}
        layout="vertical"
        name="promotion"
        disabled={!writable}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t('promotions.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="priority" label={t('promotions.priority')}>
            <InputNumber />
          </Form.Item>
          <Form.Item name="period" label={t('promotions.period')}>
            <DatePicker.RangePicker showTime allowEmpty={[true, true]} format="DD.MM.YYYY HH:mm" />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="effectKind" label={t('promotions.effect')}>
            <Select
              style={{ width: 240 }}
              options={[
                ...simpleEffects.map((k) => ({ value: k, label: t(`promotions.effectKind.${k}`) })),
                ...(effectKind === 'other'
                  ? [{ value: 'other', label: t('promotions.effectKind.other') }]
                  : []),
              ]}
            />
          </Form.Item>
          {(effectKind === 'discount_percent' || effectKind === 'points_percent') && (
            <Form.Item name="percent" label="%">
              <InputNumber min={0} max={100} />
            </Form.Item>
          )}
          {(effectKind === 'discount_amount' || effectKind === 'fixed_price') && (
            <Form.Item name="amount" label={t('promotions.amountRub')}>
              <InputNumber min={0} />
            </Form.Item>
          )}
          {effectKind === 'discount_amount' && (
            <Form.Item name="per" label={t('promotions.per')}>
              <Select
                style={{ width: 160 }}
                options={[
                  { value: 'receipt', label: t('promotions.perReceipt') },
                  { value: 'unit', label: t('promotions.perUnit') },
                ]}
              />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="categoryIds" label={t('programme.category')}>
          <Select
            mode="multiple"
            allowClear
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="storeIds" label={t('terminals.store')}>
          <Select
            mode="multiple"
            allowClear
            options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="cardTypeIds" label={t('programme.cardTypes')}>
          <Select
            mode="multiple"
            allowClear
            options={(programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="days" label={t('promotions.days')}>
          <Checkbox.Group
            options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`promotions.weekday.${d}`) }))}
          />
        </Form.Item>
        <Form.Item name="minReceiptAmount" label={t('promotions.minReceipt')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="exclusivityGroup" label={t('promotions.exclusivityGroup')}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Space wrap size="large">
          {(
            [
              ['requiresCard', 'promotions.requiresCard'],
              ['stackable', 'promotions.stackable'],
              ['forbidPointsPayment', 'promotions.forbidPointsPayment'],
              ['noAccrualOnDiscounted', 'promotions.noAccrualOnDiscounted'],
              ['requiresConfirmationCode', 'promotions.requiresConfirmationCode'],
            ] as const
          ).map(([name, label]) => (
            <Form.Item key={name} name={name} label={t(label)} valuePropName="checked">
              <Switch />
            </Form.Item>
          ))}
        </Space>
        {(save.isError || archive.isError) && (
          <Alert type="error" title={(save.error ?? archive.error)?.message} showIcon />
        )}
      </Form>
    </Drawer>
  );
}
