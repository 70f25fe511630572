// The sample receipt both previews price (the promotion preview, C5, and the happy hours preview,
// C4): products found by search, their quantities, and the calculate button. The screens keep what
// differs (store, card type, the moment) and ask POST /promotions/preview themselves.
import { useQuery } from '@tanstack/react-query';
import { Button, InputNumber, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { productPageSchema } from '@loyalty/protocol/api/catalogue.schema';
import { api, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';

type Product = z.output<typeof productPageSchema>['items'][number];

/** A product of the sample receipt with its quantity in units (the engine's are thousandths). */
export type SampleLine = { product: Product; quantity: number };

/** The sample lines and the product search; held by the screen so they outlive the closed drawer. */
export function useSampleReceipt(open: boolean) {
  const [search, setSearch] = useState('');
  const [lines, setLines] = useState<SampleLine[]>([]);
  const products = useQuery({
    queryKey: ['products', 'search', search],
    queryFn: () => api(productPageSchema, 'GET', withQuery('/products', { search, pageSize: 20 })),
    enabled: open,
  });
  const productNames = new Map(lines.map((l) => [l.product.id, l.product.name]));
  return { lines, setLines, setSearch, products, productNames };
}

/** What the sample receipt holds. */
export type SampleReceipt = ReturnType<typeof useSampleReceipt>;

/** The sample lines as the engine's receipt lines for POST /promotions/preview. */
export function previewReceiptLines(lines: SampleLine[]) {
  return lines.map((l) => ({
    productId: l.product.id,
    categoryId: l.product.categoryId,
    quantity: Math.round(l.quantity * 1000),
    price: l.product.price,
    minPrice: l.product.minPrice,
    noDiscount: l.product.noDiscount,
    noAccrual: l.product.noAccrual,
    noPointsPayment: l.product.noPointsPayment,
  }));
}

/** The product search, the lines with quantity and remove, and the calculate button. */
export function SampleReceiptLines({
  receipt,
  productSelectId,
  calculateTestId,
  calculating,
  onCalculate,
}: {
  receipt: SampleReceipt;
  /** The search select's element id, which the e2e tests click. */
  productSelectId: string;
  calculateTestId: string;
  calculating: boolean;
  onCalculate: () => void;
}) {
  const { t } = useTranslation();
  const { format } = useSession();
  const { lines, setLines, setSearch, products } = receipt;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Select<string>
        showSearch={{ filterOption: false, onSearch: setSearch }}
        id={productSelectId}
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
        data-testid={calculateTestId}
        disabled={lines.length === 0}
        loading={calculating}
        onClick={onCalculate}
      >
        {t('promotions.calculate')}
      </Button>
    </Space>
  );
}
