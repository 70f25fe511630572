// The receipt lines with the engine's per-line discounts and the reason for each (A3, A4).
// A plain table of memoised rows rather than antd's Table (issue 5, scan to total <= 50 ms):
// a scan changes one line and the totals, so only the rows whose shown text changed render
// again (each row gets its figures as formatted strings), not all fifty.
import { Button, theme, Typography } from 'antd';
import { memo, useMemo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import type { DraftLine, Priced } from './sale-types.ts';

type Props = {
  lines: readonly DraftLine[];
  priced: Priced | null;
  selected: number;
  /** Both must keep their identity between renders, or every row renders again. */
  onSelect: (index: number) => void;
  onRemove: (index: number) => void;
};

type Styles = { row: CSSProperties; selectedRow: CSSProperties; cell: CSSProperties; number: CSSProperties };

type RowProps = {
  index: number;
  name: string;
  /** The reasons for the line's discounts, one per line of text. */
  reasons: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
  selected: boolean;
  removeLabel: string;
  styles: Styles;
  onSelect: (index: number) => void;
  onRemove: (index: number) => void;
};

const ReceiptRow = memo(function ReceiptRow(p: RowProps) {
  return (
    <tr
      style={p.selected ? p.styles.selectedRow : p.styles.row}
      aria-selected={p.selected}
      data-testid="receipt-line"
      onClick={() => p.onSelect(p.index)}
    >
      <td style={p.styles.cell}>{p.index + 1}</td>
      <td style={p.styles.cell}>
        <div>{p.name}</div>
        {p.reasons !== '' &&
          p.reasons.split('\n').map((reason) => (
            <Typography.Text key={reason} type="success" style={{ fontSize: 13, display: 'block' }}>
              {reason}
            </Typography.Text>
          ))}
      </td>
      <td style={p.styles.number}>{p.quantity}</td>
      <td style={p.styles.number}>{p.price}</td>
      <td style={p.styles.number}>
        {p.discount !== '' && <span data-testid="line-discount">−{p.discount}</span>}
      </td>
      <td style={p.styles.number}>{p.amount}</td>
      <td style={p.styles.cell}>
        <Button
          size="small"
          danger
          tabIndex={-1}
          aria-label={p.removeLabel}
          onClick={() => p.onRemove(p.index)}
        >
          ×
        </Button>
      </td>
    </tr>
  );
});

/** The lines table; the selected line takes + / − / Del. */
export function ReceiptTable({ lines, priced, selected, onSelect, onRemove }: Props) {
  const { t } = useTranslation();
  const f = useFormatters();
  const { token } = theme.useToken();
  const styles = useMemo<Styles>(() => {
    const cell: CSSProperties = {
      padding: `${token.paddingXS}px ${token.paddingXS}px`,
      borderBottom: `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`,
      verticalAlign: 'top',
    };
    return {
      row: { cursor: 'pointer' },
      selectedRow: { cursor: 'pointer', background: token.controlItemBgActive },
      cell,
      number: { ...cell, textAlign: 'right', whiteSpace: 'nowrap' },
    };
  }, [token]);
  const head: CSSProperties = {
    ...styles.cell,
    background: token.colorFillAlter,
    fontWeight: token.fontWeightStrong,
    textAlign: 'left',
  };
  const headNumber: CSSProperties = { ...head, textAlign: 'right' };

  const reasons = (index: number): string =>
    (priced?.calculation.lines[index]?.applied ?? [])
      .flatMap((a) => {
        if (a.discount <= 0) return [];
        if (a.source === 'card') return [t('reason.card', { percent: a.percent / 100 })];
        const name = priced?.promotionNames[a.promotionId];
        return [name ? t('reason.promotion', { name }) : t('reason.promotionUnnamed')];
      })
      .join('\n');

  return (
    <div
      data-testid="receipt-lines"
      style={{
        border: `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadiusLG,
        overflow: 'hidden',
        background: token.colorBgContainer,
      }}
    >
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: token.fontSize }}>
        <colgroup>
          <col style={{ width: 40 }} />
          <col />
          <col style={{ width: 80 }} />
          <col style={{ width: 110 }} />
          <col style={{ width: 110 }} />
          <col style={{ width: 120 }} />
          <col style={{ width: 48 }} />
        </colgroup>
        <thead>
          <tr>
            <th style={head}>#</th>
            <th style={head}>{t('sale.product')}</th>
            <th style={headNumber}>{t('sale.quantity')}</th>
            <th style={headNumber}>{t('sale.price')}</th>
            <th style={headNumber}>{t('sale.discount')}</th>
            <th style={headNumber}>{t('sale.amount')}</th>
            <th style={head} aria-label={t('sale.remove')} />
          </tr>
        </thead>
        <tbody>
          {lines.length === 0 && (
            <tr>
              <td colSpan={7} style={{ ...styles.cell, textAlign: 'center', color: token.colorTextTertiary }}>
                {t('sale.empty')}
              </td>
            </tr>
          )}
          {lines.map((line, index) => {
            const calculated = priced?.calculation.lines[index];
            const price = calculated?.price ?? line.price;
            const discount = calculated?.discount ?? 0;
            return (
              <ReceiptRow
                key={line.key}
                index={index}
                name={priced?.lineNames[index] ?? line.name}
                reasons={reasons(index)}
                quantity={f.quantity(line.quantity)}
                price={price === undefined ? '—' : f.money(price)}
                discount={discount > 0 ? f.money(discount) : ''}
                amount={calculated ? f.money(calculated.amountAfterDiscount) : ''}
                selected={index === selected}
                removeLabel={t('sale.remove')}
                styles={styles}
                onSelect={onSelect}
                onRemove={onRemove}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
