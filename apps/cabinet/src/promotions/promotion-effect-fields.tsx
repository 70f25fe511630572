// The "what it gives" tab of the promotion editor (C5): one effect kind at a time with its own
// fields (percent, sum, fixed price, threshold tiers, ladder steps, buy X get Y, gift product,
// extra points, gift points with their expiry and activation).
import { Button, Form, InputNumber, Select, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { effectKinds, type EditorForm, type ExpiryForm } from './promotion-form.ts';
import { productSource, RemoteSelect } from './remote-select.tsx';

const required = { required: true };

/** Expiry and activation of the lot that gift points create. */
function GiftTermsFields({ form }: { form: FormInstance<EditorForm> }) {
  const { t } = useTranslation();
  const expiryKind = Form.useWatch(['effect', 'terms', 'expiry', 'kind'], form) as
    ExpiryForm['kind'] | undefined;
  return (
    <Space wrap align="start">
      <Form.Item name={['effect', 'terms', 'expiry', 'kind']} label={t('promotionEditor.expiry')}>
        <Select
          style={{ width: 200 }}
          options={(['never', 'days', 'fixed_dates'] as const).map((k) => ({
            value: k,
            label: t(`promotionEditor.expiryKind.${k}`),
          }))}
        />
      </Form.Item>
      {expiryKind === 'days' && (
        <Form.Item
          name={['effect', 'terms', 'expiry', 'days']}
          label={t('promotionEditor.expiryDays')}
          rules={[required]}
        >
          <InputNumber min={1} max={3650} />
        </Form.Item>
      )}
      {expiryKind === 'fixed_dates' && (
        <Form.Item
          name={['effect', 'terms', 'expiry', 'dates']}
          label={t('promotionEditor.expiryDates')}
          rules={[required]}
        >
          <Select mode="tags" style={{ width: 260 }} tokenSeparators={[',', ' ']} open={false} />
        </Form.Item>
      )}
      <Form.Item name={['effect', 'terms', 'activation', 'days']} label={t('promotionEditor.activationDays')}>
        <InputNumber min={1} max={365} />
      </Form.Item>
    </Space>
  );
}

/** The effect tab. */
export function PromotionEffectFields({ form }: { form: FormInstance<EditorForm> }) {
  const { t } = useTranslation();
  const kind = Form.useWatch(['effect', 'kind'], form);
  return (
    <>
      <Form.Item name={['effect', 'kind']} label={t('promotions.effect')}>
        <Select
          style={{ width: 320 }}
          // "Get Y" is usually free: the percent starts at 100 rather than the last discount typed.
          onChange={(next: string) => {
            if (next === 'buy_x_get_y') form.setFieldValue(['effect', 'percent'], 100);
          }}
          options={effectKinds.map((k) => ({ value: k, label: t(`promotionEditor.effectKind.${k}`) }))}
        />
      </Form.Item>
      {(kind === 'discount_percent' || kind === 'points_percent') && (
        <Form.Item name={['effect', 'percent']} label="%" rules={[required]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
      )}
      {kind === 'discount_amount' && (
        <Space wrap align="start">
          <Form.Item name={['effect', 'amount']} label={t('promotions.amountRub')} rules={[required]}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name={['effect', 'per']} label={t('promotions.per')}>
            <Select
              style={{ width: 180 }}
              options={[
                { value: 'receipt', label: t('promotions.perReceipt') },
                { value: 'unit', label: t('promotions.perUnit') },
              ]}
            />
          </Form.Item>
        </Space>
      )}
      {kind === 'fixed_price' && (
        <Form.Item name={['effect', 'price']} label={t('promotionEditor.price')} rules={[required]}>
          <InputNumber min={0} />
        </Form.Item>
      )}
      {kind === 'threshold_discount' && (
        <Form.List name={['effect', 'tiers']}>
          {(fields, { add, remove }) => (
            <>
              <Typography.Text strong>{t('promotionEditor.tiers')}</Typography.Text>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'fromAmount']}
                    label={t('promotionEditor.fromAmount')}
                    rules={[required]}
                  >
                    <InputNumber min={0} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'percent']} label="%" rules={[required]}>
                    <InputNumber min={0} max={100} />
                  </Form.Item>
                  <Button style={{ marginTop: 30 }} onClick={() => remove(field.name)}>
                    {t('promotionEditor.remove')}
                  </Button>
                </Space>
              ))}
              <Form.Item>
                <Button onClick={() => add({})} data-testid="add-tier">
                  {t('promotionEditor.addTier')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
      )}
      {kind === 'ladder' && (
        <Form.List name={['effect', 'steps']}>
          {(fields, { add, remove }) => (
            <>
              <Typography.Text strong>{t('promotionEditor.steps')}</Typography.Text>
              <Space wrap align="start" style={{ marginTop: 8 }}>
                {fields.map((field, index) => (
                  <Space key={field.key} align="start" size={2}>
                    <Form.Item
                      name={field.name}
                      label={t('promotionEditor.step', { n: index + 1 })}
                      rules={[required]}
                    >
                      <InputNumber min={0} max={100} />
                    </Form.Item>
                    <Button
                      size="small"
                      style={{ marginTop: 34 }}
                      onClick={() => remove(field.name)}
                      aria-label={t('promotionEditor.remove')}
                    >
                      ×
                    </Button>
                  </Space>
                ))}
              </Space>
              <Form.Item>
                <Button onClick={() => add(null)} data-testid="add-step">
                  {t('promotionEditor.addStep')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
      )}
      {kind === 'buy_x_get_y' && (
        <>
          <Space wrap align="start">
            <Form.Item name={['effect', 'buy']} label={t('promotionEditor.buy')} rules={[required]}>
              <InputNumber min={1} max={100} />
            </Form.Item>
            <Form.Item name={['effect', 'get']} label={t('promotionEditor.get')} rules={[required]}>
              <InputNumber min={1} max={100} />
            </Form.Item>
            <Form.Item name={['effect', 'percent']} label={t('promotionEditor.getPercent')}>
              <InputNumber min={0} max={100} />
            </Form.Item>
          </Space>
          <Typography.Paragraph type="secondary">{t('promotionEditor.buyHint')}</Typography.Paragraph>
        </>
      )}
      {kind === 'gift_line' && (
        <Space wrap align="start" style={{ width: '100%' }}>
          <Form.Item
            name={['effect', 'productId']}
            label={t('promotionEditor.giftProduct')}
            rules={[required]}
            style={{ width: 420 }}
          >
            <RemoteSelect source={productSource} />
          </Form.Item>
          <Form.Item name={['effect', 'quantity']} label={t('promotionEditor.giftQuantity')}>
            <InputNumber min={0.001} />
          </Form.Item>
        </Space>
      )}
      {kind === 'gift_points' && (
        <>
          <Form.Item name={['effect', 'points']} label={t('promotionEditor.giftPoints')} rules={[required]}>
            <InputNumber min={0} />
          </Form.Item>
          <GiftTermsFields form={form} />
        </>
      )}
    </>
  );
}
