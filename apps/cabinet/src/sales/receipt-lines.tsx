// A receipt's lines, fetched when its row is opened (the list itself carries no lines).
import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { receiptWithLinesSchema } from '@loyalty/protocol/api/receipts.schema';
import { api } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';

/** The lines table of receipt `id`. */
export function ReceiptLines({ id }: { id: string }) {
  const { t } = useTranslation();
  const { format } = useSession();
  const receipt = useQuery({
    queryKey: ['receipt', id],
    queryFn: () => api(receiptWithLinesSchema, 'GET', `/receipts/${id}`),
  });
  return (
    <Table
      rowKey="position"
      size="small"
      pagination={false}
      loading={receipt.isPending}
      dataSource={receipt.data?.lines ?? []}
      columns={[
        { title: t('buyer.product'), dataIndex: 'productId' },
        // Quantities are thousandths of a unit.
        { title: t('buyer.quantity'), align: 'right', render: (_, l) => format.count(l.quantity / 1000) },
        { title: t('buyer.price'), align: 'right', render: (_, l) => format.money(l.price) },
        { title: t('buyer.receiptTotal'), align: 'right', render: (_, l) => format.money(l.amount) },
        { title: t('buyer.discount'), align: 'right', render: (_, l) => format.money(l.discount) },
        { title: t('buyer.pointsPaid'), align: 'right', render: (_, l) => format.points(l.pointsPaid) },
        { title: t('buyer.accrued'), align: 'right', render: (_, l) => format.points(l.accrual) },
      ]}
    />
  );
}
