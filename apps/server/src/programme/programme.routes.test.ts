// C1-C6 through the API: the programme is always valid, versions move, promotions and coupons
// reach the engine, roles and merchants are enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const standardRule = {
  accrual: { kind: 'percent', percent: 200 },
  accrualBase: 'paid',
  rounding: 'nearest_whole',
  expiry: { kind: 'days', days: 365 },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
};

async function withProgramme(): Promise<{ owner: Session; standardId: string }> {
  const owner = await t.signIn('owner');
  const created = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: standardRule,
  });
  expect(created.statusCode).toBe(201);
  return { owner, standardId: created.json<{ id: string }>().id };
}

describe('programme (C1-C4)', () => {
  it('starts with the first card type as a bonus programme and bumps the version on each change', async () => {
    const { owner, standardId } = await withProgramme();
    const programme = (await owner.request('GET', '/api/v1/programme')).json<{
      version: number;
      settings: { type: string; defaultCardTypeId: string };
      rules: Array<{ cardTypeId: string; categoryId: null }>;
    }>();
    expect(programme.settings).toMatchObject({ type: 'bonus', defaultCardTypeId: standardId });
    expect(programme.rules).toEqual([expect.objectContaining({ cardTypeId: standardId, categoryId: null })]);
    const silver = await owner.request('POST', '/api/v1/card-types', {
      name: 'Серебряная',
      rank: 1,
      threshold: 5_000_000,
      issue: 'threshold',
      defaultRule: { ...standardRule, accrual: { kind: 'percent', percent: 500 } },
    });
    expect(silver.statusCode).toBe(201);
    const settings = await owner.request('PUT', '/api/v1/programme/settings', {
      type: 'combined',
      defaultCardTypeId: standardId,
      gifts: {
        firstPurchase: {
          points: 10_000,
          terms: { expiry: { kind: 'days', days: 30 }, activation: { kind: 'immediate' } },
        },
      },
    });
    expect(settings.statusCode).toBe(200);
    const after = (await owner.request('GET', '/api/v1/programme')).json<{
      version: number;
      settings: { type: string };
    }>();
    expect(after.settings.type).toBe('combined');
    expect(after.version).toBe(programme.version + 2);
    const snapshot = (await owner.request('GET', '/api/v1/programme/snapshot')).json<{
      cardTypes: unknown[];
    }>();
    expect(snapshot.cardTypes).toHaveLength(2);
  });

  it('refuses a rules matrix that would leave a card type without its default rule, and keeps the old one', async () => {
    const { owner, standardId } = await withProgramme();
    const before = (await owner.request('GET', '/api/v1/programme')).json<{ version: number }>().version;
    const silver = await owner.request('POST', '/api/v1/card-types', {
      name: 'Серебряная',
      rank: 1,
      threshold: 5_000_000,
      issue: 'threshold',
      defaultRule: standardRule,
    });
    const silverId = silver.json<{ id: string }>().id;
    const version = (await owner.request('GET', '/api/v1/programme')).json<{ version: number }>().version;
    expect(version).toBeGreaterThan(before);
    // Only the standard card's rule: the silver card would be left without its default.
    const broken = await owner.request('PUT', '/api/v1/programme/rules', {
      rules: [{ ...standardRule, cardTypeId: standardId, categoryId: null }],
    });
    expect(broken.statusCode).toBe(400);
    const body = broken.json<{ code: string; details: { issues: Array<{ code: string }> } }>();
    expect(body.code).toBe('invalid_programme');
    expect(body.details.issues.map((i) => i.code)).toContain('missing_default_rule');
    const still = (await owner.request('GET', '/api/v1/programme')).json<{
      version: number;
      rules: Array<{ cardTypeId: string }>;
    }>();
    expect(still.version).toBe(version);
    expect(still.rules.map((r) => r.cardTypeId).sort()).toEqual([standardId, silverId].sort());

    const twice = await owner.request('PUT', '/api/v1/programme/rules', {
      rules: [
        { ...standardRule, cardTypeId: standardId, categoryId: null },
        { ...standardRule, cardTypeId: standardId, categoryId: null },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json<{ code: string }>().code).toBe('duplicate_rule');
  });

  it('will not archive the default card type, and analysts cannot change the programme', async () => {
    const { owner, standardId } = await withProgramme();
    const archive = await owner.request('DELETE', `/api/v1/card-types/${standardId}`);
    expect(archive.statusCode).toBe(409);
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/programme')).statusCode).toBe(200);
    expect((await analyst.request('PUT', '/api/v1/programme/rules', { rules: [] })).statusCode).toBe(403);
    const other = await t.signIn('owner');
    expect((await other.request('PATCH', `/api/v1/card-types/${standardId}`, { name: 'x' })).statusCode).toBe(
      404,
    );
  });
});

describe('promotions and coupons (C5, C6)', () => {
  it('prices a sample receipt with a coupon-only promotion, and lists promotions by state', async () => {
    const { owner } = await withProgramme();
    const promo = await owner.request('POST', '/api/v1/promotions', {
      name: 'Минус 10% по купону',
      priority: 5,
      effect: { kind: 'discount_percent', percent: 1000 },
    });
    expect(promo.statusCode).toBe(201);
    const promotionId = promo.json<{ id: string }>().id;
    const series = await owner.request('POST', '/api/v1/coupon-series', {
      name: 'Весна',
      promotionId,
      usage: 'multi',
      codes: { kind: 'shared', code: 'spring 10' },
    });
    expect(series.statusCode).toBe(201);
    const seriesId = series.json<{ id: string }>().id;
    expect(series.json()).toMatchObject({ codesCount: 1, usedCount: 0 });

    const line = { productId: 'p1', quantity: 2000, price: 50_000 };
    const preview = (coupons: unknown[]) =>
      owner.request('POST', '/api/v1/promotions/preview', {
        receipt: { storeId: 's1', lines: [line], coupons },
      });
    // Without the coupon: 1000.00, no discount. With it: 10 % = 100.00 off.
    const without = (await preview([])).json<{ totals: { discount: number } }>();
    expect(without.totals.discount).toBe(0);
    const withCoupon = await preview([{ code: 'SPRING10', seriesId }]);
    expect(withCoupon.statusCode).toBe(200);
    expect(
      withCoupon.json<{ totals: { discount: number; amountAfterDiscount: number } }>().totals,
    ).toMatchObject({
      discount: 10_000,
      amountAfterDiscount: 90_000,
    });

    const scheduled = await owner.request('POST', '/api/v1/promotions', {
      name: 'Летняя',
      from: Date.now() + 86_400_000,
      effect: { kind: 'discount_percent', percent: 500 },
    });
    expect(scheduled.statusCode).toBe(201);
    const active = (await owner.request('GET', '/api/v1/promotions?state=active')).json<{
      items: Array<{ id: string }>;
    }>();
    expect(active.items.map((p) => p.id)).toEqual([promotionId]);
    const later = (await owner.request('GET', '/api/v1/promotions?state=scheduled')).json<{
      total: number;
    }>();
    expect(later.total).toBe(1);
    const archived = await owner.request('POST', `/api/v1/promotions/${promotionId}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json<{ state: string }>().state).toBe('archived');
    expect((await preview([{ code: 'SPRING10', seriesId }])).statusCode).toBe(200);
  });

  it('generates a print run of unique codes without look-alike characters', async () => {
    const { owner } = await withProgramme();
    const promo = await owner.request('POST', '/api/v1/promotions', {
      name: 'Подарок',
      effect: { kind: 'flags_only' },
    });
    const promotionId = promo.json<{ id: string }>().id;
    const series = await owner.request('POST', '/api/v1/coupon-series', {
      name: 'Листовки',
      promotionId,
      usage: 'single',
      codes: { kind: 'unique', count: 500, prefix: 'LF', length: 8 },
    });
    expect(series.statusCode).toBe(201);
    const seriesId = series.json<{ id: string }>().id;
    const codes = (await owner.request('GET', `/api/v1/coupon-series/${seriesId}/codes?pageSize=1000`)).json<{
      total: number;
      items: Array<{ code: string }>;
    }>();
    expect(codes.total).toBe(500);
    expect(new Set(codes.items.map((c) => c.code)).size).toBe(500);
    expect(codes.items.every((c) => /^LF[2-9A-HJ-NP-Z]{8}$/.test(c.code))).toBe(true);
    const second = await owner.request('POST', '/api/v1/coupon-series', {
      name: 'Ещё',
      promotionId,
      usage: 'single',
      codes: { kind: 'shared', code: 'AGAIN' },
    });
    expect(second.statusCode).toBe(409);
  });

  it('rejects a promotion the engine could not read, with paths', async () => {
    const { owner } = await withProgramme();
    const bad = await owner.request('POST', '/api/v1/promotions', {
      name: 'x',
      effect: { kind: 'ladder', steps: [] },
      targeting: { days: [8] },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad
      .json<{ details: { issues: Array<{ path: string }> } }>()
      .details.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.effect.steps', 'body.targeting.days.0']));
  });
});
