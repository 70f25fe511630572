// The engine's answer to a sample receipt, shared by the promotion preview (C5) and the happy hours
// preview (C4): the totals and, line by line, amount, discount and points. Each screen adds its own
// "why" column and what it says above or below the lines.
import { Card, Descriptions, Table, type TableColumnType } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Calculation, CalculatedLine } from '@loyalty/core/engine/calculation-result';
import { useSession } from '#auth/session-context.tsx';

/** The result card: `before` above the totals, `why` as the lines' last column, `after` below them. */
export function PreviewResult({
  testId,
  calculation,
  productNames,
  why,
  before,
  after,
}: {
  testId: string;
  calculation: Calculation;
  productNames: ReadonlyMap<string, string>;
  why: TableColumnType<CalculatedLine>;
  before?: ReactNode;
  after?: ReactNode;
}) {
  const { t } = useTranslation();
  const { format } = useSession();
  return (
    <Card size="small" title={t('promotions.result')} data-testid={testId}>
      {before}
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('buyer.receiptTotal')}>
          {format.money(calculation.totals.amount)}
        </Descriptions.Item>
        <Descriptions.Item label={t('buyer.discount')}>
          {format.money(calculation.totals.discount)}
        </Descriptions.Item>
        <Descriptions.Item label={t('buyer.accrued')}>
          {format.points(calculation.totals.accrual)}
        </Descriptions.Item>
      </Descriptions>
      <Table<CalculatedLine>
        rowKey="index"
        size="small"
        pagination={false}
        dataSource={[...calculation.lines]}
        columns={[
          { title: t('buyer.product'), render: (_, l) => productNames.get(l.productId) ?? l.productId },
          { title: t('buyer.receiptTotal'), align: 'right', render: (_, l) => format.money(l.amount) },
          { title: t('buyer.discount'), align: 'right', render: (_, l) => format.money(l.discount) },
          { title: t('buyer.accrued'), align: 'right', render: (_, l) => format.points(l.accrual) },
          why,
        ]}
      />
      {after}
    </Card>
  );
}
