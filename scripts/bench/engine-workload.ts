// A realistic heavy workload for the engine: 1,000 active promotions of mixed kinds over a
// 2,000-product catalogue, a 100-line receipt and a buyer with 50 lots. Seeded, so every run
// prices the same receipt.
import type { RulesSnapshotInput } from '@loyalty/core/rules/snapshot.schema';
import type { CalculationInput } from '@loyalty/core/engine/calculation-input.schema';
import { standardSnapshot, THURSDAY_NOON_MSK } from '@loyalty/core/testing/rules-fixtures';

/** mulberry32: a tiny deterministic PRNG so the workload is identical run to run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = 2000;
const CATEGORIES = 60;

/** Builds the snapshot and one calculation input. */
export function engineWorkload(promotionCount = 1000, lineCount = 100, lotCount = 50) {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const categories = Array.from({ length: CATEGORIES }, (_, i) => ({
    id: `c${i}`,
    parentId: i < 10 ? null : `c${i % 10}`,
  }));
  const categoryOf = (product: number) => `c${10 + (product % (CATEGORIES - 10))}`;
  const kinds = [
    () => ({ kind: 'discount_percent' as const, percent: int(300, 3000) }),
    () => ({
      kind: 'discount_amount' as const,
      amount: int(1000, 20000),
      per: pick(['receipt', 'unit'] as const),
    }),
    () => ({ kind: 'fixed_price' as const, price: int(1000, 30000) }),
    () => ({
      kind: 'threshold_discount' as const,
      tiers: [
        { fromAmount: 100_000, percent: 500 },
        { fromAmount: 300_000, percent: 1000 },
      ],
    }),
    () => ({ kind: 'ladder' as const, steps: [0, 1000, 2000, 3000] }),
    () => ({ kind: 'buy_x_get_y' as const, buy: 2, get: 1, percent: 10_000 }),
    () => ({ kind: 'points_percent' as const, percent: int(100, 1000) }),
    () => ({
      kind: 'gift_points' as const,
      points: int(1000, 50000),
      terms: { expiry: { kind: 'days' as const, days: 30 }, activation: { kind: 'immediate' as const } },
    }),
    () => ({ kind: 'flags_only' as const }),
  ];
  const promotions = Array.from({ length: promotionCount }, (_, i) => {
    const scope = random();
    const targeting =
      scope < 0.55
        ? { productIds: Array.from({ length: int(1, 8) }, () => `p${int(0, PRODUCTS - 1)}`) }
        : scope < 0.97
          ? { categoryIds: [`c${int(0, CATEGORIES - 1)}`] }
          : {};
    return {
      id: `promo-${String(i).padStart(4, '0')}`,
      priority: int(0, 10),
      from: THURSDAY_NOON_MSK - 86_400_000,
      to: THURSDAY_NOON_MSK + 86_400_000 * 30,
      targeting: {
        ...targeting,
        ...(random() < 0.1 ? { days: [1, 2, 3, 4, 5] } : {}),
        ...(random() < 0.1 ? { storeAttributes: { format: ['hyper'] } } : {}),
        ...(random() < 0.05 ? { segmentIds: ['vip'] } : {}),
      },
      conditions: random() < 0.1 ? { minReceiptAmount: 50_000 } : {},
      effect: pick(kinds)(),
      stacking: {
        stackable: random() < 0.6,
        exclusivityGroup: random() < 0.15 ? `g${int(0, 9)}` : null,
        base: pick(['original', 'discounted'] as const),
      },
      flags: { forbidPointsPayment: random() < 0.05, noAccrualOnDiscounted: random() < 0.1 },
      limits: random() < 0.2 ? { maxDiscount: 50_000 } : {},
    };
  });
  const snapshot: RulesSnapshotInput = standardSnapshot({ categories, promotions });

  const lines = Array.from({ length: lineCount }, () => {
    const product = int(0, PRODUCTS - 1);
    const weighed = random() < 0.1;
    return {
      productId: `p${product}`,
      categoryId: categoryOf(product),
      quantity: weighed ? int(100, 3000) : int(1, 4) * 1000,
      price: int(3000, 150000),
      minPrice: random() < 0.2 ? 2000 : 0,
    };
  });
  const lots = Array.from({ length: lotCount }, (_, i) => ({
    id: `lot-${i}`,
    remaining: int(100, 5000),
    activatesAt: THURSDAY_NOON_MSK - 86_400_000 * int(1, 300),
    expiresAt: THURSDAY_NOON_MSK + 86_400_000 * int(1, 365),
  }));
  const input: CalculationInput = {
    receipt: { storeId: 'store-1', lines, pointsToPay: 'max' },
    buyer: { id: 'buyer-1', cardTypeId: 'standard', purchasesCount: 10, segmentIds: ['vip'], lots },
    now: THURSDAY_NOON_MSK,
  };
  return { snapshot, input };
}
