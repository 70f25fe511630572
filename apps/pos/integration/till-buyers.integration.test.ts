// The till's buyer work against the real server (A2, A4, A5, D2, D6): the questionnaire pulled
// with the settings and enforced for the receipt's categories; a buyer registered without a code
// while the server and the message gateway are out of reach, pending on the server, asked for the
// code on the next purchase at ANOTHER till and confirmed there with proof; personal data edited
// at the till reaching the server; the panel's history from the server; and a points payment that
// the programme makes need a code, confirmed with the code the buyer received.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import { FakeMessageProvider } from '../src/core/messaging/message-provider.ts';
import { setServerUrl } from '../src/core/store/identity.repository.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';

const DEAD_SERVER = 'http://127.0.0.1:9';
const CODE = '135790';
let t: TestApp;
let s: Shop;
let serverUrl: string;
let categoryId: string;
const dirs: string[] = [];
const cores: TerminalCore[] = [];

beforeAll(async () => {
  t = await createTestApp();
  s = await shop(t);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const category = await s.owner.request('POST', '/api/v1/categories', { name: 'Алкоголь' });
  categoryId = category.json<{ id: string }>().id;
  for (const [sku, price, cat] of [
    ['MILK-1', 100_00, null],
    ['WINE-1', 900_00, categoryId],
  ] as const)
    expect(
      (await s.owner.request('POST', '/api/v1/products', { sku, name: sku, price, categoryId: cat }))
        .statusCode,
    ).toBe(201);
  const field = await s.owner.request('POST', '/api/v1/questionnaire/fields', {
    key: 'age_confirmed',
    label: 'Возраст подтверждён',
    kind: 'list',
    options: ['да'],
    requiredCategoryIds: [categoryId],
  });
  expect(field.statusCode, field.body).toBe(201);
  const cashier = await s.owner.request('POST', '/api/v1/cashiers', {
    name: 'Кассир',
    storeId: s.storeId,
    code: CODE,
  });
  expect(cashier.statusCode, cashier.body).toBe(201);
});

afterAll(async () => {
  for (const core of cores) await core.close();
  await t?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function till(): Promise<{ core: TerminalCore; messages: FakeMessageProvider }> {
  const created = await s.owner.request('POST', '/api/v1/terminals', {
    storeId: s.storeId,
    name: `Касса ${cores.length + 1}`,
  });
  const { pairingCode } = created.json<{ pairingCode: string }>();
  const dir = mkdtempSync(join(tmpdir(), 'pos-buyers-'));
  dirs.push(dir);
  const messages = new FakeMessageProvider();
  const core = createTerminalCore({ dataDir: dir, autoSync: false, messages });
  cores.push(core);
  const paired = await core.handlers['pairing.pair']({ code: pairingCode, serverUrl });
  if (!paired.ok) throw new Error(JSON.stringify(paired.error));
  const synced = await core.handlers['sync.now']({});
  if (!synced.ok) throw new Error(JSON.stringify(synced.error));
  expect((await core.handlers['cashier.login']({ code: CODE })).ok).toBe(true);
  return { core, messages };
}

const serverBuyer = (phone: string) =>
  t.db
    .selectFrom('buyers')
    .select(['id', 'first_name', 'email', 'consent_pending', 'answers'])
    .where('phone', '=', phone)
    .executeTakeFirst();

describe('the questionnaire from the server', () => {
  it('makes a field required when the receipt has wine, and the answer lands on the server', async () => {
    const { core, messages } = await till();
    const form = await core.handlers['buyer.questionnaire']({ productIds: ['WINE-1'] });
    expect(form.ok && form.value.fields.find((f) => f.key === 'age_confirmed')).toMatchObject({
      required: true,
      requiredBy: [categoryId],
    });
    const plain = await core.handlers['buyer.questionnaire']({ productIds: ['MILK-1'] });
    expect(plain.ok && plain.value.fields.find((f) => f.key === 'age_confirmed')?.required).toBe(false);

    const phone = '+79160000101';
    await core.handlers['buyer.sendCode']({ phone });
    const code = messages.lastCodeFor(phone) ?? '';
    expect((await core.handlers['buyer.checkCode']({ phone, code })).ok).toBe(true);
    const consents = [{ kind: 'sms' as const, textVersion: 'v1', code }];
    const refused = await core.handlers['buyer.register']({
      phone,
      firstName: 'Ира',
      consents,
      productIds: ['WINE-1'],
    });
    expect(!refused.ok && refused.error.message).toMatch(/«Возраст подтверждён» обязательно/);
    const created = await core.handlers['buyer.register']({
      phone,
      firstName: 'Ира',
      consents,
      productIds: ['WINE-1'],
      answers: { age_confirmed: 'да' },
    });
    expect(created.ok).toBe(true);
    expect((await core.handlers['sync.now']({})).ok).toBe(true);
    expect(await serverBuyer(phone)).toMatchObject({
      answers: { age_confirmed: 'да' },
      consent_pending: false,
    });
  });
});

describe('registration offline, consent on the next purchase', () => {
  it('registers without a code offline, then another till asks for the code and the server records it', async () => {
    const a = await till();
    const b = await till();
    const phone = '+79160000102';
    // Online with a reachable gateway, "without code" is refused: send the code.
    const online = await a.core.handlers['buyer.register']({
      phone,
      firstName: 'Лена',
      consents: [{ kind: 'sms', textVersion: 'till-consent-2026-01' }],
      withoutCode: true,
    });
    expect(!online.ok && online.error.code).toBe('code_required');

    // The shop loses the internet: the server and the gateway are out of reach.
    setServerUrl(a.core.ctx.db, DEAD_SERVER);
    a.messages.reachable = false;
    expect((await a.core.handlers['sync.now']({})).ok).toBe(false);
    const failed = await a.core.handlers['buyer.sendCode']({ phone });
    expect(!failed.ok && failed.error.code).toBe('message_failed');
    const created = await a.core.handlers['buyer.register']({
      phone,
      firstName: 'Лена',
      consents: [
        { kind: 'sms', textVersion: 'till-consent-2026-01' },
        { kind: 'advertising', textVersion: 'till-consent-2026-01' },
      ],
      withoutCode: true,
    });
    if (!created.ok) throw new Error(created.error.message);
    const sold = await a.core.handlers['sale.commit']({
      buyerId: created.value.buyerId,
      identifiedBy: 'phone',
      lines: [{ productId: 'MILK-1', quantity: 1000 }],
    });
    expect(sold.ok && sold.value.totals.accrual).toBeGreaterThan(0);

    // Back online: the registration reaches the server, pending.
    setServerUrl(a.core.ctx.db, serverUrl);
    a.messages.reachable = true;
    expect((await a.core.handlers['sync.now']({})).ok).toBe(true);
    const pending = await serverBuyer(phone);
    expect(pending).toMatchObject({ first_name: 'Лена', consent_pending: true });
    const none = await t.db
      .selectFrom('buyer_consents')
      .select('id')
      .where('buyer_id', '=', pending?.id ?? '')
      .execute();
    expect(none).toEqual([]);

    // The next purchase is at till B: it learns from the server that the consent is pending.
    expect((await b.core.handlers['sync.now']({})).ok).toBe(true);
    const found = await b.core.handlers['buyer.identify']({ phone });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.consentPending).toBe(true);
    expect((await b.core.handlers['buyer.sendConsentCode']({ buyerId: found.value.buyerId })).ok).toBe(true);
    const code = b.messages.lastCodeFor(phone) ?? '';
    const confirmed = await b.core.handlers['buyer.confirmConsent']({ buyerId: found.value.buyerId, code });
    expect(confirmed.ok && confirmed.value.consentPending).toBe(false);
    expect((await b.core.handlers['sync.now']({})).ok).toBe(true);

    const after = await serverBuyer(phone);
    expect(after?.consent_pending).toBe(false);
    const proof = await t.db
      .selectFrom('buyer_consents')
      .select(['kind', 'channel', 'code', 'cashier_id', 'text_version'])
      .where('buyer_id', '=', after?.id ?? '')
      .orderBy('kind')
      .execute();
    expect(proof.map((p) => p.kind)).toEqual(['advertising', 'sms']);
    for (const p of proof)
      expect(p).toMatchObject({ channel: 'till', code, text_version: 'till-consent-2026-01' });
    expect(proof.every((p) => p.cashier_id !== null)).toBe(true);

    // Till A hears it at its next pull: no code asked there any more.
    expect((await a.core.handlers['sync.now']({})).ok).toBe(true);
    const atA = await a.core.handlers['buyer.identify']({ phone });
    expect(atA.ok && atA.value.consentPending).toBe(false);
  });
});

describe('the buyer panel and edits', () => {
  it("edits the buyer's name at the till, reaches the server, and shows the server's history", async () => {
    const a = await till();
    const b = await till();
    const phone = '+79160000103';
    const created = await s.owner.request('POST', '/api/v1/buyers', { phone, firstName: 'Пётр' });
    const buyerId = created.json<{ id: string }>().id;
    // A purchase at till B, pushed: till A's panel shows it from the server.
    expect((await b.core.handlers['buyer.identify']({ phone })).ok).toBe(true);
    const sold = await b.core.handlers['sale.commit']({
      buyerId,
      identifiedBy: 'phone',
      lines: [{ productId: 'MILK-1', quantity: 2000 }],
    });
    if (!sold.ok) throw new Error(sold.error.message);
    expect((await b.core.handlers['sync.now']({})).ok).toBe(true);

    const found = await a.core.handlers['buyer.identify']({ phone });
    expect(found.ok).toBe(true);
    const details = await a.core.handlers['buyer.details']({ buyerId });
    if (!details.ok) throw new Error(details.error.message);
    expect(details.value.historyFromServer).toBe(true);
    expect(details.value.history).toEqual([
      expect.objectContaining({ receiptId: sold.value.receiptId, paidMoney: 200_00, source: 'server' }),
    ]);
    expect(details.value.stats).toMatchObject({
      purchasesCount: 1,
      purchasesTotal: 200_00,
      averageCheck: 200_00,
    });

    const edited = await a.core.handlers['buyer.update']({
      buyerId,
      changes: { firstName: 'Пётр Ильич', email: 'petr@example.ru' },
    });
    expect(edited.ok && edited.value.firstName).toBe('Пётр Ильич');
    expect((await a.core.handlers['sync.now']({})).ok).toBe(true);
    const api = await s.owner.request('GET', `/api/v1/buyers/${buyerId}`);
    expect(api.json()).toMatchObject({ firstName: 'Пётр Ильич', email: 'petr@example.ru' });
  });
});

describe('points paid with a code', () => {
  it('asks for the code the buyer received before booking, online', async () => {
    const { id: defaultCardTypeId } = await t.db
      .selectFrom('card_types')
      .innerJoin('stores', 'stores.merchant_id', 'card_types.merchant_id')
      .select('card_types.id')
      .where('stores.id', '=', s.storeId)
      .executeTakeFirstOrThrow();
    const settings = await s.owner.request('PUT', '/api/v1/programme/settings', {
      type: 'bonus',
      defaultCardTypeId,
      redemptionRequiresCode: true,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const phone = '+79160000104';
    const created = await s.owner.request('POST', '/api/v1/buyers', { phone });
    const buyerId = created.json<{ id: string }>().id;
    await s.owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
      operation: 'accrue',
      points: 100_00,
      reason: 'Старт',
    });
    const { core, messages } = await till();
    const sale = {
      buyerId,
      identifiedBy: 'phone' as const,
      lines: [{ productId: 'MILK-1', quantity: 1000 }],
      pointsToPay: 50_00,
    };
    const identified = await core.handlers['buyer.identify']({ phone });
    expect(identified.ok).toBe(true);
    const noCode = await core.handlers['sale.commit'](sale);
    expect(!noCode.ok && noCode.error.code).toBe('points_code_required');
    expect((await core.handlers['sale.sendPointsCode']({ buyerId })).ok).toBe(true);
    const code = messages.lastCodeFor(phone) ?? '';
    const wrong = await core.handlers['sale.commit']({
      ...sale,
      pointsCode: code === '000000' ? '111111' : '000000',
    });
    expect(!wrong.ok && wrong.error.code).toBe('code_wrong');
    const paid = await core.handlers['sale.commit']({ ...sale, pointsCode: code });
    if (!paid.ok) throw new Error(paid.error.message);
    expect(paid.value.totals.pointsPaid).toBe(50_00);
    // The code paid one receipt: the next payment needs a new one.
    const reuse = await core.handlers['sale.commit']({ ...sale, pointsToPay: 10_00, pointsCode: code });
    expect(!reuse.ok && reuse.error.code).toBe('points_code_required');
  });
});
