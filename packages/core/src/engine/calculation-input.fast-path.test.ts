// The fast path must never disagree with the schema: whatever it accepts, zod accepts with the
// same output; and it must actually take the common inputs (else it is dead weight).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInput } from '#shared/validation.ts';
import { parseCalculationInputFast } from './calculation-input.fast-path.ts';
import { calculationInputSchema } from './calculation-input.schema.ts';

const id = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('p1', 'c1', 'lot-1', 'x') },
  { weight: 1, arbitrary: fc.string({ maxLength: 102 }) },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const anyNumber = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 2_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 2_000_000_000 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      0,
      1,
      1.5,
      -1,
      Number.NaN,
      Infinity,
      10_000_000_000_000,
      10_000_000_000_001,
      2 ** 53,
    ),
  },
);
const oddValue = fc.oneof(
  fc.constant(null),
  fc.constant('1'),
  fc.constant(true),
  fc.constant([]),
  fc.constant({}),
);
const sometimesOdd = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 40, arbitrary: a }, { weight: 1, arbitrary: oddValue });

const line = fc.record(
  {
    lineId: sometimesOdd(id),
    productId: sometimesOdd(id),
    categoryId: sometimesOdd(fc.oneof(id, fc.constant(null))),
    quantity: sometimesOdd(anyNumber),
    price: sometimesOdd(anyNumber),
    minPrice: sometimesOdd(anyNumber),
    noDiscount: sometimesOdd(fc.boolean()),
    noAccrual: sometimesOdd(fc.boolean()),
    noPointsPayment: sometimesOdd(fc.boolean()),
    extra: fc.string(),
  },
  { requiredKeys: ['productId', 'quantity', 'price'] },
);
const lot = fc.record({
  id: sometimesOdd(id),
  remaining: sometimesOdd(anyNumber),
  activatesAt: sometimesOdd(anyNumber),
  expiresAt: sometimesOdd(fc.oneof(anyNumber, fc.constant(null))),
});
const buyer = fc.record(
  {
    id: sometimesOdd(id),
    cardTypeId: sometimesOdd(id),
    segmentIds: sometimesOdd(fc.array(id, { maxLength: 3 })),
    favouriteCategoryIds: sometimesOdd(fc.array(id, { maxLength: 3 })),
    lots: sometimesOdd(fc.array(lot, { maxLength: 4 })),
    debt: sometimesOdd(anyNumber),
    reserved: sometimesOdd(anyNumber),
    purchasesCount: sometimesOdd(anyNumber),
    registeredAt: sometimesOdd(fc.oneof(anyNumber, fc.constant(null))),
    referrers: sometimesOdd(fc.constant([])),
  },
  { requiredKeys: ['id', 'cardTypeId'] },
);
const input = fc.record(
  {
    receipt: fc.record(
      {
        storeId: sometimesOdd(id),
        lines: fc.array(line, { minLength: 1, maxLength: 4 }),
        coupons: sometimesOdd(fc.constant([])),
        pointsToPay: sometimesOdd(fc.oneof(anyNumber, fc.constant('max'))),
      },
      { requiredKeys: ['storeId', 'lines'] },
    ),
    buyer: fc.oneof(fc.constant(null), maybe(buyer)),
    now: sometimesOdd(anyNumber),
  },
  { requiredKeys: ['receipt', 'now'] },
);

describe('calculation input fast path', () => {
  it('accepts only what the schema accepts, and yields exactly what the schema yields', () => {
    let taken = 0;
    fc.assert(
      fc.property(input, (raw) => {
        const fast = parseCalculationInputFast(raw);
        if (fast === null) return;
        taken++;
        const slow = parseInput(calculationInputSchema, raw);
        expect(slow.ok).toBe(true);
        if (slow.ok) expect(fast).toStrictEqual(slow.value);
      }),
      { numRuns: 3000 },
    );
    // The generator produces enough well-formed inputs for the comparison to mean something.
    expect(taken).toBeGreaterThan(100);
  });

  it('takes a plain receipt with a buyer and lots, and leaves coupons to the schema', () => {
    const plain = {
      receipt: { storeId: 's', lines: [{ productId: 'p', quantity: 1000, price: 100 }], pointsToPay: 'max' },
      buyer: {
        id: 'b',
        cardTypeId: 'standard',
        lots: [{ id: 'l', remaining: 5, activatesAt: 0, expiresAt: null }],
      },
      now: 1,
    };
    expect(parseCalculationInputFast(plain)).not.toBeNull();
    const withCoupon = { ...plain, receipt: { ...plain.receipt, coupons: [{ code: 'A', seriesId: null }] } };
    expect(parseCalculationInputFast(withCoupon)).toBeNull();
  });
});
