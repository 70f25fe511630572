// The promotion preview (C5): build a sample receipt (store, card type, products and quantities),
// send it to POST /promotions/preview and read, line by line, what the engine gives and why
// (applied discounts and points, promotions that were considered and their reasons).
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Calculation, CalculatedLine } from '@loyalty/core/engine/calculation-result';
import { productPageSchema } from '@loyalty/protocol/api/catalogue.schema';
import { api, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { useProgramme, useStores } from '#reference/reference-data.ts';

type Product = z.output<typeof productPageSchema>['items'][number];
type SampleLine = { product: Product; quantity: number };

// The engine wants a buyer id; a preview buyer is nobody in particular.
const PREVIEW_BUYER = '00000000-0000-4000-8000-000000000000';

/** The drawer with the sample receipt and the engine's explained answer. */
export function PromotionPreview({
  open,
  onClose,
  promotionNames,
}: {
  open: boolean;
  onClose: () => void;
  promotionNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const { format } = useSession();
  const stores = useStores();
  const programme = useProgramme();
  const [storeId, setStoreId] = useState<string>();
  const [cardTypeId, setCardTypeId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [lines, setLines] = useState<SampleLine[]>([]);
  const products = useQuery({
    queryKey: ['products', 'search', search],
    queryFn: () => api(productPageSchema, 'GET', withQuery('/products', { search, pageSize: 20 })),
    enabled: open,
  });
  const preview = useMutation({
    mutationFn: () =>
      api(z.unknown(), 'POST', '/promotions/preview', {
        receipt: {
          storeId: storeId ?? stores.data?.[0]?.id,
          lines: lines.map((l) => ({
            productId: l.product.id,
            categoryId: l.product.categoryId,
            quantity: Math.round(l.quantity * 1000),
            price: l.product.price,
            minPrice: l.product.minPrice,
            noDiscount: l.product.noDiscount,
            noAccrual: l.product.noAccrual,
            noPointsPayment: l.product.noPointsPayment,
          })),
        },
        buyer: cardTypeId ? { id: PREVIEW_BUYER, cardTypeId, purchasesCount: 1 } : null,
      }) as Promise<Calculation>,
  });
  const names = new Map(lines.map((l) => [l.product.id, l.product.name]));
  const promotion = (id: string) => promotionNames.get(id) ?? id;
  const reason = (code: string) => t(`promotions.reason.${code}`, { defaultValue: code });

  return (
    <Drawer open={open} onClose={onClose} size="large" title={t('promotions.preview')} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select
            placeholder={t('terminals.store')}
            style={{ width: 220 }}
            value={storeId}
            onChange={setStoreId}
            options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
          <Select
            allowClear
            placeholder={t('promotions.anonymous')}
            style={{ width: 220 }}
            value={cardTypeId ?? undefined}
            onChange={(v?: string) => setCardTypeId(v ?? null)}
            options={(programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Space>
        <Select<string>
          showSearch={{ filterOption: false, onSearch: setSearch }}
          id="preview-product"
          placeholder={t('promotions.addProduct')}
          style={{ width: '100%' }}
          value={null}
          loading={products.isFetching}
          options={(products.data?.items ?? []).map((p) => ({
            value: p.id,
            label: `${p.name} · ${format.money(p.price)}`,
          }))}
          onChange={(id) => {
            const product = products.data?.items.find((p) => p.id === id);
            if (product) setLines((all) => [...all, { product, quantity: 1 }]);
          }}
        />
        <Table<SampleLine>
          rowKey={(l) => l.product.id + String(lines.indexOf(l))}
          size="small"
          pagination={false}
          dataSource={lines}
          columns={[
            { title: t('buyer.product'), render: (_, l) => l.product.name },
            { title: t('buyer.price'), align: 'right', render: (_, l) => format.money(l.product.price) },
            {
              title: t('buyer.quantity'),
              render: (_, l, i) => (
                <InputNumber
                  min={0.001}
                  value={l.quantity}
                  onChange={(q) =>
                    setLines((all) => all.map((x, j) => (j === i ? { ...x, quantity: q ?? 1 } : x)))
                  }
                />
              ),
            },
            {
              render: (_, _l, i) => (
                <Button size="small" onClick={() => setLines((all) => all.filter((_x, j) => j !== i))}>
                  ×
                </Button>
              ),
            },
          ]}
        />
        <Button
          type="primary"
          data-testid="preview-calculate"
          disabled={lines.length === 0}
          loading={preview.isPending}
          onClick={() => preview.mutate()}
        >
          {t('promotions.calculate')}
        </Button>
        {preview.isError && <Alert type="error" title={preview.error.message} showIcon />}
        {preview.data && (
          <Card size="small" title={t('promotions.result')} data-testid="preview-result">
            <Descriptions size="small" column={3}>
              <Descriptions.Item label={t('buyer.receiptTotal')}>
                {format.money(preview.data.totals.amount)}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.discount')}>
                {format.money(preview.data.totals.discount)}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.accrued')}>
                {format.points(preview.data.totals.accrual)}
              </Descriptions.Item>
            </Descriptions>
            <Table<CalculatedLine>
              rowKey="index"
              size="small"
              pagination={false}
              dataSource={[...preview.data.lines]}
              columns={[
                { title: t('buyer.product'), render: (_, l) => names.get(l.productId) ?? l.productId },
                { title: t('buyer.receiptTotal'), align: 'right', render: (_, l) => format.money(l.amount) },
                { title: t('buyer.discount'), align: 'right', render: (_, l) => format.money(l.discount) },
                { title: t('buyer.accrued'), align: 'right', render: (_, l) => format.points(l.accrual) },
                {
                  title: t('promotions.why'),
                  render: (_, l) => (
                    <Space orientation="vertical" size={2}>
                      {l.applied.map((a, i) =>
                        a.source === 'card' ? (
                          <Tag key={i} color="blue">
                            {t('promotions.cardDiscount')} {format.percent(a.percent)}
                          </Tag>
                        ) : (
                          <Tag key={i} color="green">
                            {promotion(a.promotionId)}: −{format.money(a.discount)}
                            {a.points > 0 ? `, +${format.points(a.points)}` : ''}
                          </Tag>
                        ),
                      )}
                      {l.considered.map((c) => (
                        <Typography.Text key={c.promotionId} type="secondary">
                          {promotion(c.promotionId)}: {reason(c.reason)}
                        </Typography.Text>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
            {preview.data.promotions
              .filter((p) => !p.applied && p.reason)
              .map((p) => (
                <div key={p.promotionId}>
                  <Typography.Text type="secondary">
                    {promotion(p.promotionId)}: {reason(p.reason ?? '')}
                  </Typography.Text>
                </div>
              ))}
          </Card>
        )}
      </Space>
    </Drawer>
  );
}
