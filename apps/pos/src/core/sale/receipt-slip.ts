// What the printer and the screen show for a committed receipt, built from what was stored, so a
// reprint or a retried commit shows exactly the same slip.
import { buyerPoints, type BuyerPoints } from '#core/buyers/buyer-balance.ts';
import { getBuyer } from '#core/buyers/buyers.repository.ts';
import { maskPhone } from '@loyalty/core/phones/phone-number';
import { getCashier } from '#core/cashiers/cashiers.repository.ts';
import { getStore } from '#core/store/cache-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';
import type { StoredReceipt } from './receipts.repository.ts';

/** The slip of a receipt; money in kopecks, points in hundredths, quantities in thousandths. */
export type ReceiptSlip = {
  readonly receiptId: string;
  readonly number: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly offline: boolean;
  readonly store: { readonly id: string; readonly name: string; readonly address: string } | null;
  readonly cashier: { readonly id: string; readonly name: string };
  readonly buyer: { readonly id: string; readonly name: string | null; readonly phone: string | null } | null;
  readonly lines: ReadonlyArray<{
    readonly index: number;
    readonly productId: string;
    readonly name: string;
    readonly quantity: number;
    readonly price: number;
    readonly amount: number;
    readonly discount: number;
    readonly pointsPaid: number;
    readonly paidMoney: number;
    readonly accrual: number;
  }>;
  readonly totals: {
    readonly amount: number;
    readonly discount: number;
    readonly pointsPaid: number;
    readonly paidMoney: number;
    readonly accrual: number;
  };
  /** The buyer's points after this receipt, as the till knows them now. */
  readonly points: BuyerPoints | null;
  /** Lines of text for the foot of the slip. */
  readonly notes: readonly string[];
};

/** Builds the slip of a stored receipt at `now` (for the points figures). */
export function receiptSlip(db: Sqlite, receipt: StoredReceipt, now: number): ReceiptSlip {
  const store = getStore(db, receipt.storeId);
  const buyer = receipt.buyerId ? getBuyer(db, receipt.buyerId) : null;
  const c = receipt.calculation;
  const notes: string[] = [];
  if (c.totals.accrual > 0) notes.push('Начисленные баллы станут доступны после подтверждения сервером.');
  if (receipt.offline) notes.push('Чек пробит без связи с сервером и будет отправлен автоматически.');
  return {
    receiptId: receipt.id,
    number: receipt.number,
    seq: receipt.seq,
    createdAt: receipt.createdAt,
    offline: receipt.offline,
    store: store ? { id: store.id, name: store.name, address: store.address } : null,
    cashier: { id: receipt.cashierId, name: getCashier(db, receipt.cashierId)?.name ?? '' },
    buyer: buyer
      ? {
          id: buyer.item.id,
          name: [buyer.item.firstName, buyer.item.lastName].filter(Boolean).join(' ') || null,
          phone: maskPhone(buyer.item.phone),
        }
      : null,
    lines: c.lines.map((line) => ({
      index: line.index,
      productId: line.productId,
      name: receipt.request.names[line.index] ?? line.productId,
      quantity: line.quantity,
      price: line.price,
      amount: line.amount,
      discount: line.discount,
      pointsPaid: line.pointsPaid,
      paidMoney: line.paidMoney,
      accrual: line.accrual,
    })),
    totals: {
      amount: c.totals.amount,
      discount: c.totals.discount,
      pointsPaid: c.totals.pointsPaid,
      paidMoney: c.totals.paidMoney,
      accrual: c.totals.accrual,
    },
    points: buyer ? buyerPoints(db, buyer, now) : null,
    notes,
  };
}
