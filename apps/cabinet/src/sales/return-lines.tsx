// A return's lines, fetched when its row of the sales log is opened: what each returned receipt
// line gave back (money, points paid) and took back (points accrued).
import { useQuery } from '@tanstack/react-query';
import { Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { returnWithLinesSchema } from '@loyalty/protocol/api/receipts.schema';
import { api } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';

/** The lines table of return `id`. */
export function ReturnLines({ id }: { id: string }) {
  const { t } = useTranslation();
  const { format } = useSession();
  const found = useQuery({
    queryKey: ['return', id],
    queryFn: () => api(returnWithLinesSchema, 'GET', `/returns/${id}`),
  });
  const reversed = found.data?.receiptAccrualsReversed ?? 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Table
        rowKey="position"
        size="small"
        pagination={false}
        loading={found.isPending}
        dataSource={found.data?.lines ?? []}
        columns={[
          { title: t('buyer.product'), dataIndex: 'productId' },
          // Quantities are thousandths of a unit.
          { title: t('buyer.quantity'), align: 'right', render: (_, l) => format.count(l.quantity / 1000) },
          { title: t('sales.total'), align: 'right', render: (_, l) => format.money(l.amount) },
          { title: t('sales.refundMoney'), align: 'right', render: (_, l) => format.money(l.refundMoney) },
          {
            title: t('sales.pointsRestored'),
            align: 'right',
            render: (_, l) => format.points(l.pointsRestored),
          },
          {
            title: t('sales.accrualReversed'),
            align: 'right',
            render: (_, l) => format.points(l.accrualReversed),
          },
        ]}
      />
      {reversed > 0 && (
        <Typography.Text type="secondary">
          {t('sales.receiptAccrualsReversed', { points: format.points(reversed) })}
        </Typography.Text>
      )}
    </Space>
  );
}
