// Coupons in the receipt replay: some buyers present the leaflet code once, and personal coupons
// come out when there is coffee or tea to use them on. The engine decides whether a coupon
// applies; only accepted ones count a use and a redemption, as in the purchase flow.
import type { PresentedCoupon } from '@loyalty/core/engine/calculation-input.schema';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import type { BulkWriter } from './bulk-insert.ts';
import type { BasketLine } from './demo-basket.ts';
import type { DemoProgramme } from './demo-programme.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Who used which code, and how often each code was used. */
export class CouponWallet {
  private readonly uses = new Map<string, number>();
  private readonly usedShared = new Set<string>();
  private readonly redemptions: Array<{ codeId: string; buyerId: string; receiptId: string; at: number }> =
    [];
  private readonly personalCategories: ReadonlySet<string>;
  /** Personal codes are handed out in order; this one is next. */
  private nextPersonal = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly programme: DemoProgramme,
    personalCategoryIds: readonly string[],
  ) {
    this.personalCategories = new Set(personalCategoryIds);
  }

  /** The coupons an identified buyer hands over with this basket (usually none). */
  present(buyerId: string, lines: readonly BasketLine[]): PresentedCoupon[] {
    const { shared, unique } = this.programme;
    if (!this.usedShared.has(buyerId) && this.random.chance(0.02))
      return [this.coupon(shared.code, shared.seriesId, this.uses.get(shared.codeId) ?? 0)];
    const personal = unique.codes[this.nextPersonal];
    if (personal && lines.some((l) => this.personalCategories.has(l.categoryId)) && this.random.chance(0.06))
      return [this.coupon(personal.code, unique.seriesId, 0)];
    return [];
  }

  /** Counts the coupons the engine accepted on a receipt. */
  redeem(calculation: Calculation, buyerId: string, receiptId: string, at: number): void {
    for (const accepted of calculation.coupons.accepted) {
      let codeId: string | undefined;
      if (accepted.code === this.programme.shared.code) {
        codeId = this.programme.shared.codeId;
        this.usedShared.add(buyerId);
      } else codeId = this.programme.unique.codes[this.nextPersonal++]?.id;
      if (!codeId) continue;
      this.uses.set(codeId, (this.uses.get(codeId) ?? 0) + 1);
      this.redemptions.push({ codeId, buyerId, receiptId, at });
    }
  }

  /** Redemptions made. */
  get count(): number {
    return this.redemptions.length;
  }

  /** Writes every code with its use count, then the redemptions. */
  async write(writer: BulkWriter, merchantId: string): Promise<void> {
    const codes = writer.table('coupon_codes', [
      { name: 'id', type: 'uuid' },
      { name: 'merchant_id', type: 'uuid' },
      { name: 'series_id', type: 'uuid' },
      { name: 'code', type: 'text' },
      { name: 'uses', type: 'int' },
    ]);
    const { shared, unique } = this.programme;
    codes.add(shared.codeId, merchantId, shared.seriesId, shared.code, this.uses.get(shared.codeId) ?? 0);
    for (const c of unique.codes)
      codes.add(c.id, merchantId, unique.seriesId, c.code, this.uses.get(c.id) ?? 0);
    await codes.flush();
    const redemptions = writer.table('coupon_redemptions', [
      { name: 'merchant_id', type: 'uuid' },
      { name: 'code_id', type: 'uuid' },
      { name: 'buyer_id', type: 'uuid' },
      { name: 'receipt_id', type: 'uuid' },
      { name: 'redeemed_at', type: 'timestamptz' },
    ]);
    for (const r of this.redemptions)
      redemptions.add(merchantId, r.codeId, r.buyerId, r.receiptId, new Date(r.at).toISOString());
    await redemptions.flush();
  }

  private coupon(code: string, seriesId: string, uses: number): PresentedCoupon {
    return { code, seriesId, uses, buyerUses: 0, issuedToBuyerId: null, blocked: false };
  }
}
