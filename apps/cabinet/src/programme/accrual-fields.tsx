// Accrual (C3) as a person types it, for the matrix cell and the happy hours: none, a percent,
// "Y points per X roubles", or progressive percents by receipt sum; converted to the API's basis
// points, kopecks and hundredths (README "Conventions") here.
import { Button, Form, InputNumber, Select, Space } from 'antd';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type { accrualSchema } from '@loyalty/core/rules/snapshot.schema';

type Accrual = z.input<typeof accrualSchema>;
export type AccrualKind = Accrual['kind'];
export type AccrualForm = {
  kind: AccrualKind;
  percent?: number;
  everyRoubles?: number;
  points?: number;
  tiers?: { fromReceiptAmount?: number; percent?: number }[];
};

const hundredths = (value: number | undefined) => Math.round((value ?? 0) * 100);

/** The form values of an accrual. */
export function accrualToForm(accrual: z.output<typeof accrualSchema>): AccrualForm {
  switch (accrual.kind) {
    case 'none':
      return { kind: 'none', percent: 0 };
    case 'percent':
      return { kind: 'percent', percent: accrual.percent / 100 };
    case 'per_amount':
      return { kind: 'per_amount', everyRoubles: accrual.everyKopecks / 100, points: accrual.points / 100 };
    case 'progressive':
      return {
        kind: 'progressive',
        tiers: accrual.tiers.map((t) => ({
          fromReceiptAmount: t.fromReceiptAmount / 100,
          percent: t.percent / 100,
        })),
      };
  }
}

/** The API's accrual from the form values. */
export function accrualFromForm(v: AccrualForm): Accrual {
  switch (v.kind) {
    case 'none':
      return { kind: 'none' };
    case 'percent':
      return { kind: 'percent', percent: hundredths(v.percent) };
    case 'per_amount':
      return {
        kind: 'per_amount',
        everyKopecks: hundredths(v.everyRoubles),
        points: hundredths(v.points),
      };
    case 'progressive':
      return {
        kind: 'progressive',
        tiers: (v.tiers ?? []).map((t) => ({
          fromReceiptAmount: hundredths(t.fromReceiptAmount),
          percent: hundredths(t.percent),
        })),
      };
  }
}

/**
 * The fields under `name` (e.g. `['accrual']`); `extraKinds` adds choices before the accrual kinds
 * (happy hours offer "as in the rule").
 */
export function AccrualFields(props: {
  name: string[];
  label: string;
  extraKinds?: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const kind = Form.useWatch([...props.name, 'kind'], form) as string | undefined;
  const required = [{ required: true }];
  return (
    <>
      <Space wrap align="start">
        <Form.Item name={[...props.name, 'kind']} label={props.label}>
          <Select
            style={{ width: 260 }}
            options={[
              ...(props.extraKinds ?? []),
              ...(['none', 'percent', 'per_amount', 'progressive'] as const).map((k) => ({
                value: k,
                label: t(`programmeEditor.accrualKind.${k}`),
              })),
            ]}
          />
        </Form.Item>
        {kind === 'percent' && (
          <Form.Item name={[...props.name, 'percent']} label="%" rules={required}>
            <InputNumber min={0} max={100} step={0.5} />
          </Form.Item>
        )}
        {kind === 'per_amount' && (
          <>
            <Form.Item
              name={[...props.name, 'points']}
              label={t('programmeEditor.perPoints')}
              rules={required}
            >
              <InputNumber min={0.01} />
            </Form.Item>
            <Form.Item
              name={[...props.name, 'everyRoubles']}
              label={t('programmeEditor.everyRoubles')}
              rules={required}
            >
              <InputNumber min={0.01} />
            </Form.Item>
          </>
        )}
      </Space>
      {kind === 'progressive' && (
        <Form.List name={[...props.name, 'tiers']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'fromReceiptAmount']}
                    label={t('programmeEditor.fromReceiptAmount')}
                    rules={required}
                  >
                    <InputNumber min={0} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'percent']} label="%" rules={required}>
                    <InputNumber min={0} max={100} step={0.5} />
                  </Form.Item>
                  <Button style={{ marginTop: 30 }} onClick={() => remove(field.name)}>
                    {t('programmeEditor.remove')}
                  </Button>
                </Space>
              ))}
              <Form.Item>
                <Button onClick={() => add({})} data-testid="add-accrual-tier">
                  {t('programmeEditor.addTier')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
      )}
    </>
  );
}
