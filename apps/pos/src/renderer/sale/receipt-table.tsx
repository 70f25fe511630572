// The receipt lines with the engine's per-line discounts and the reason for each (A3, A4).
import { Button, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import type { DraftLine, Priced } from './sale-types.ts';

type Props = {
  lines: readonly DraftLine[];
  priced: Priced | null;
  selected: number;
  onSelect: (index: number) => void;
  onRemove: (index: number) => void;
};

/** The lines table; the selected line takes + / − / Del. */
export function ReceiptTable({ lines, priced, selected, onSelect, onRemove }: Props) {
  const { t } = useTranslation();
  const f = useFormatters();
  const reasons = (index: number): string[] =>
    (priced?.calculation.lines[index]?.applied ?? []).flatMap((a) => {
      if (a.discount <= 0) return [];
      if (a.source === 'card') return [t('reason.card', { percent: a.percent / 100 })];
      const name = priced?.promotionNames[a.promotionId];
      return [name ? t('reason.promotion', { name }) : t('reason.promotionUnnamed')];
    });

  return (
    <Table
      size="small"
      pagination={false}
      data-testid="receipt-lines"
      rowKey="key"
      locale={{ emptyText: t('sale.empty') }}
      dataSource={lines.map((line, index) => ({ ...line, index }))}
      rowClassName={(row) => (row.index === selected ? 'ant-table-row-selected' : '')}
      onRow={(row) => ({ onClick: () => onSelect(row.index) })}
      columns={[
        { title: '#', width: 40, render: (_, row) => row.index + 1 },
        {
          title: t('sale.product'),
          render: (_, row) => (
            <>
              <div>{priced?.lineNames[row.index] ?? row.name}</div>
              {reasons(row.index).map((reason) => (
                <Typography.Text key={reason} type="success" style={{ fontSize: 13, display: 'block' }}>
                  {reason}
                </Typography.Text>
              ))}
            </>
          ),
        },
        {
          title: t('sale.quantity'),
          width: 80,
          align: 'right',
          render: (_, row) => f.quantity(row.quantity),
        },
        {
          title: t('sale.price'),
          width: 110,
          align: 'right',
          render: (_, row) => {
            const price = priced?.calculation.lines[row.index]?.price ?? row.price;
            return price === undefined ? '—' : f.money(price);
          },
        },
        {
          title: t('sale.discount'),
          width: 110,
          align: 'right',
          render: (_, row) => {
            const d = priced?.calculation.lines[row.index]?.discount ?? 0;
            return d > 0 ? <span data-testid="line-discount">−{f.money(d)}</span> : '';
          },
        },
        {
          title: t('sale.amount'),
          width: 120,
          align: 'right',
          render: (_, row) => {
            const l = priced?.calculation.lines[row.index];
            return l ? f.money(l.amountAfterDiscount) : '';
          },
        },
        {
          width: 48,
          render: (_, row) => (
            <Button
              size="small"
              danger
              tabIndex={-1}
              aria-label={t('sale.remove')}
              onClick={() => onRemove(row.index)}
            >
              ×
            </Button>
          ),
        },
      ]}
    />
  );
}
