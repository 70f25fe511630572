// The buyer card's purchases and returns: the sales log filtered to the buyer (returns negative),
// paged on the server, each operation's lines fetched when its row is opened; each names the
// cashier who made the sale or took the return.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { salesLogPageSchema, type salesLogEntrySchema } from '@loyalty/protocol/api/receipts.schema';
import { api, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { ReceiptLines } from '#sales/receipt-lines.tsx';
import { ReturnLines } from '#sales/return-lines.tsx';

type Entry = z.output<typeof salesLogEntrySchema>;

/** Sales and returns of one buyer, newest first. */
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
  const log = useQuery({
    queryKey: ['buyer', buyerId, 'sales-log', paging],
    queryFn: () => api(salesLogPageSchema, 'GET', withQuery('/sales-log', { buyerId, ...paging })),
    placeholderData: keepPreviousData,
  });
  return (
    <Table<Entry>
      rowKey="id"
      size="small"
      data-testid="purchases-table"
      loading={log.isFetching}
      dataSource={log.data?.items ?? []}
      locale={{ emptyText: t('buyer.noPurchases') }}
      expandable={{
        expandedRowRender: (r) =>
          r.type === 'sale' ? <ReceiptLines id={r.receiptId} /> : <ReturnLines id={r.id} />,
      }}
      pagination={{ current: paging.page, pageSize: paging.pageSize, total: log.data?.total ?? 0 }}
      onChange={(p) => setPaging({ page: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('buyer.when'), render: (_, r) => format.dateTime(r.createdAt) },
        {
          title: t('sales.type'),
          render: (_, r) => (
            <Tag color={r.type === 'return' ? 'orange' : 'green'}>{t(`sales.typeValue.${r.type}`)}</Tag>
          ),
        },
        { title: t('buyer.receipt'), render: (_, r) => r.number ?? '—' },
        { title: t('buyer.store'), render: (_, r) => (r.storeId ? storeNames.get(r.storeId) : '—') },
        { title: t('sales.cashier'), render: (_, r) => r.cashierName ?? '—' },
        { title: t('sales.total'), align: 'right', render: (_, r) => format.money(r.total) },
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
