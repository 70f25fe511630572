// The targeting and conditions tabs of the promotion editor (C5): products and categories (and
// what is excluded), stores and store attributes, card types, segments and named buyers, days
// and hours, card required, favourite categories, the balance range; the receipt minimum and the
// products or sets that must be in the receipt.
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '#auth/session-context.tsx';
import { CategoryTreeSelect } from '#reference/category-tree.tsx';
import { useBuyerTags, useProgramme, useStores } from '#reference/reference-data.ts';
import { storeAttributeKeys } from './promotion-form.ts';
import { buyerSource, productSource, RemoteSelect } from './remote-select.tsx';

/** Who, where and when. */
export function PromotionTargetingFields() {
  const { t } = useTranslation();
  const { can } = useSession();
  const stores = useStores();
  const programme = useProgramme();
  const buyerTags = useBuyerTags(can('buyers:read'));
  // Attribute values the merchant's stores have, offered for each attribute.
  const attributeOptions = (key: (typeof storeAttributeKeys)[number]) =>
    [...new Set((stores.data ?? []).map((s) => s.attributes[key]).filter(Boolean))].map((v) => ({
      value: v,
      label: v,
    }));
  return (
    <>
      <Form.Item name={['targeting', 'productIds']} label={t('promotionEditor.products')}>
        <RemoteSelect source={productSource} multiple />
      </Form.Item>
      <Form.Item name={['targeting', 'categoryIds']} label={t('promotionEditor.categories')}>
        <CategoryTreeSelect />
      </Form.Item>
      <Space wrap align="start" style={{ width: '100%' }}>
        <Form.Item
          name={['targeting', 'excludeProductIds']}
          label={t('promotionEditor.excludeProducts')}
          style={{ width: 380 }}
        >
          <RemoteSelect source={productSource} multiple />
        </Form.Item>
        <Form.Item
          name={['targeting', 'excludeCategoryIds']}
          label={t('promotionEditor.excludeCategories')}
          style={{ width: 380 }}
        >
          <CategoryTreeSelect />
        </Form.Item>
      </Space>
      <Form.Item name={['targeting', 'storeIds']} label={t('promotionEditor.stores')}>
        <Select
          mode="multiple"
          allowClear
          optionFilterProp="label"
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
      </Form.Item>
      <Space wrap align="start">
        {storeAttributeKeys.map((key) => (
          <Form.Item
            key={key}
            name={['targeting', 'storeAttributes', key]}
            label={t(`promotionEditor.storeAttribute.${key}`)}
          >
            <Select mode="tags" allowClear style={{ width: 240 }} options={attributeOptions(key)} />
          </Form.Item>
        ))}
      </Space>
      <Form.Item name={['targeting', 'cardTypeIds']} label={t('promotionEditor.cardTypes')}>
        <Select
          mode="multiple"
          allowClear
          options={(programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
      </Form.Item>
      <Space wrap align="start" style={{ width: '100%' }}>
        <Form.Item
          name={['targeting', 'segmentIds']}
          label={t('promotionEditor.segments')}
          style={{ width: 300 }}
        >
          {/* Segments are buyer tags until the segment builder (D3): the merchant's tags are
              offered with their buyer counts, and a tag no buyer has yet can be typed. */}
          <Select
            mode="tags"
            allowClear
            tokenSeparators={[',']}
            loading={buyerTags.isLoading}
            options={(buyerTags.data ?? []).map((item) => ({
              value: item.tag,
              label: t('promotionEditor.segmentOption', { tag: item.tag, count: item.buyers }),
            }))}
          />
        </Form.Item>
        {can('buyers:read') && (
          <Form.Item
            name={['targeting', 'buyerIds']}
            label={t('promotionEditor.buyers')}
            style={{ width: 460 }}
          >
            <RemoteSelect source={buyerSource} multiple />
          </Form.Item>
        )}
      </Space>
      <Form.Item name={['targeting', 'days']} label={t('promotions.days')}>
        <Checkbox.Group
          options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`promotions.weekday.${d}`) }))}
        />
      </Form.Item>
      <Form.List name={['targeting', 'windows']}>
        {(fields, { add, remove }) => (
          <>
            <Typography.Text strong>{t('promotionEditor.windows')}</Typography.Text>
            {fields.map((field) => (
              <Space key={field.key} align="start" wrap>
                <Form.Item name={[field.name, 'from']} label={t('promotionEditor.windowFrom')}>
                  <Input style={{ width: 110 }} placeholder="09:00" />
                </Form.Item>
                <Form.Item name={[field.name, 'to']} label={t('promotionEditor.windowTo')}>
                  <Input style={{ width: 110 }} placeholder="12:00" />
                </Form.Item>
                <Button style={{ marginTop: 30 }} onClick={() => remove(field.name)}>
                  {t('promotionEditor.remove')}
                </Button>
              </Space>
            ))}
            <Form.Item>
              <Button onClick={() => add({ from: '', to: '' })} data-testid="add-window">
                {t('promotionEditor.addWindow')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Space wrap size="large" align="start">
        <Form.Item
          name={['targeting', 'requiresCard']}
          label={t('promotions.requiresCard')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name={['targeting', 'favouriteCategoriesOnly']}
          label={t('promotionEditor.favouriteCategoriesOnly')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name={['targeting', 'balanceMin']}
          label={t('promotionEditor.balanceMin')}
          tooltip={t('promotionEditor.balanceHint')}
        >
          <InputNumber min={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name={['targeting', 'balanceMax']} label={t('promotionEditor.balanceMax')}>
          <InputNumber min={0} style={{ width: 160 }} />
        </Form.Item>
      </Space>
    </>
  );
}

/** The receipt minimum and the products or sets that must be in the receipt. */
export function PromotionConditionFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name={['conditions', 'minReceiptAmount']} label={t('promotions.minReceipt')}>
        <InputNumber min={0} style={{ width: 200 }} />
      </Form.Item>
      <Typography.Text strong>{t('promotionEditor.requiredItems')}</Typography.Text>
      <Form.List name={['conditions', 'requiredItems']}>
        {(fields, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
            {fields.map((field, index) => (
              <Card
                key={field.key}
                size="small"
                title={t('promotionEditor.requiredItem', { n: index + 1 })}
                extra={
                  <Button size="small" onClick={() => remove(field.name)}>
                    {t('promotionEditor.remove')}
                  </Button>
                }
              >
                <Form.Item name={[field.name, 'productIds']} label={t('promotionEditor.products')}>
                  <RemoteSelect source={productSource} multiple />
                </Form.Item>
                <Form.Item name={[field.name, 'categoryIds']} label={t('promotionEditor.categories')}>
                  <CategoryTreeSelect />
                </Form.Item>
                <Form.Item name={[field.name, 'minQuantity']} label={t('promotionEditor.minQuantity')}>
                  <InputNumber min={0.001} />
                </Form.Item>
              </Card>
            ))}
            <Button
              onClick={() => add({ productIds: [], categoryIds: [], minQuantity: 1 })}
              data-testid="add-required-item"
            >
              {t('promotionEditor.addRequiredItem')}
            </Button>
          </Space>
        )}
      </Form.List>
    </>
  );
}

/** Priority, stacking, flags and limits. */
export function PromotionStackingFields() {
  const { t } = useTranslation();
  const flag = (name: (string | number)[], label: string) => (
    <Form.Item key={name.join('.')} name={name} label={label} valuePropName="checked">
      <Switch />
    </Form.Item>
  );
  return (
    <>
      <Space wrap align="start">
        <Form.Item
          name="priority"
          label={t('promotions.priority')}
          tooltip={t('promotionEditor.priorityHint')}
        >
          <InputNumber />
        </Form.Item>
        <Form.Item name={['stacking', 'exclusivityGroup']} label={t('promotions.exclusivityGroup')}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name={['stacking', 'base']} label={t('promotionEditor.base')}>
          <Select
            style={{ width: 280 }}
            options={(['original', 'discounted'] as const).map((v) => ({
              value: v,
              label: t(`promotionEditor.baseValue.${v}`),
            }))}
          />
        </Form.Item>
      </Space>
      <Space wrap size="large" align="start">
        {flag(['stacking', 'stackable'], t('promotions.stackable'))}
        {flag(['stacking', 'excludesCardDiscount'], t('promotionEditor.excludesCardDiscount'))}
        {flag(['flags', 'forbidPointsPayment'], t('promotions.forbidPointsPayment'))}
        {flag(['flags', 'noAccrualOnDiscounted'], t('promotions.noAccrualOnDiscounted'))}
        {flag(['flags', 'requiresConfirmationCode'], t('promotions.requiresConfirmationCode'))}
      </Space>
      <Space wrap align="start">
        <Form.Item name={['limits', 'maxDiscount']} label={t('promotionEditor.maxDiscount')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name={['limits', 'maxAccrual']} label={t('promotionEditor.maxAccrual')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name={['limits', 'maxPointsPayment']} label={t('promotionEditor.maxPointsPayment')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
      </Space>
    </>
  );
}
