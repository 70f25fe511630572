// Bridges a priced receipt to the figures its returns are cut from, so the till and the server
// derive them the same way from the stored calculation.
import type { Calculation } from '#engine/calculation-result.ts';
import type { ReceiptAccrual, ReturnBasis } from './return.types.ts';

/**
 * The return basis of a calculation. Line accruals (rule and extra points %) stay on their
 * lines; gift points, the first-purchase gift and referral rewards are receipt-level, keyed by
 * where they went so each is reversed on its own.
 */
export function returnBasisFromCalculation(calculation: Calculation): ReturnBasis {
  const receiptAccruals: ReceiptAccrual[] = [];
  for (const lot of calculation.accruals) {
    if (lot.source === 'purchase' || lot.source === 'promotion') continue;
    const key = `${lot.source}:${lot.promotionId ?? ''}:${lot.activatesAt}:${lot.expiresAt ?? ''}`;
    receiptAccruals.push({ key, points: lot.points });
  }
  for (const reward of calculation.referralRewards)
    receiptAccruals.push({ key: `referral:${reward.referrerId}:${reward.level}`, points: reward.points });
  return {
    lines: calculation.lines.map((line) => ({
      quantity: line.quantity,
      amount: line.amountAfterDiscount,
      pointsPaid: line.pointsPaid,
      paidMoney: line.paidMoney,
      accrual: line.accrual,
    })),
    receiptAccruals,
  };
}
