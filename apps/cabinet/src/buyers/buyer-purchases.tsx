// The buyer card's purchases: receipts paged on the server, each receipt's lines fetched when
// its row is opened (sales/receipt-lines.tsx).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { receiptPageSchema, type receiptSchema } from '@loyalty/protocol/api/receipts.schema';
import { api, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { ReceiptLines } from '#sales/receipt-lines.tsx';

type Receipt = z.output<typeof receiptSchema>;

/** Receipts of one buyer, newest first. */
export function BuyerPurchases({
  buyerId,
  storeNames,
}: {
  buyerId: string;
  storeNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const { format } = useSession();
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const receipts = useQuery({
    queryKey: ['buyer', buyerId, 'receipts', paging],
    queryFn: () => api(receiptPageSchema, 'GET', withQuery('/receipts', { buyerId, ...paging })),
    placeholderData: keepPreviousData,
  });
  return (
    <Table<Receipt>
      rowKey="id"
      size="small"
      data-testid="purchases-table"
      loading={receipts.isFetching}
      dataSource={receipts.data?.items ?? []}
      locale={{ emptyText: t('buyer.noPurchases') }}
      expandable={{ expandedRowRender: (r) => <ReceiptLines id={r.id} /> }}
      pagination={{ current: paging.page, pageSize: paging.pageSize, total: receipts.data?.total ?? 0 }}
      onChange={(p) => setPaging({ page: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('buyer.when'), render: (_, r) => format.dateTime(r.createdAt) },
        { title: t('buyer.receipt'), render: (_, r) => r.number ?? '—' },
        { title: t('buyer.store'), render: (_, r) => (r.storeId ? storeNames.get(r.storeId) : '—') },
        { title: t('buyer.receiptTotal'), align: 'right', render: (_, r) => format.money(r.amount) },
        { title: t('buyer.discount'), align: 'right', render: (_, r) => format.money(r.discount) },
        { title: t('buyer.pointsPaid'), align: 'right', render: (_, r) => format.points(r.pointsPaid) },
        { title: t('buyer.paidMoney'), align: 'right', render: (_, r) => format.money(r.paidMoney) },
        { title: t('buyer.accrued'), align: 'right', render: (_, r) => format.points(r.accrual) },
        {
          title: t('buyer.overdraft'),
          align: 'right',
          render: (_, r) => (r.overdraft > 0 ? format.points(r.overdraft) : ''),
        },
      ]}
    />
  );
}
