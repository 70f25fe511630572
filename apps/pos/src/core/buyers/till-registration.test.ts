// Registration and the buyer panel at the till on real SQLite (A2, A4, D2, D6): the merchant's
// questionnaire with fields required for categories in the receipt, registration without a code
// when no code can be sent (consent pending, confirmed with a code on the next purchase),
// personal data edited (a new phone only with its code), the panel's figures with this till's
// unsynced receipts, and a points payment that needs a code refused offline.
import { afterEach, describe, expect, it } from 'vitest';
import { standardSnapshot } from '@loyalty/core/testing/rules-fixtures';
import { DEFAULT_SYNC_QUESTIONNAIRE, type SyncQuestionnaire } from '@loyalty/protocol/sync/pull.schema';
import { FakeMessageProvider } from '#core/messaging/message-provider.ts';
import { applyPage } from '#core/sync/apply-page.ts';
import {
  buyer,
  BUYER_ID,
  BUYER_PHONE,
  CATEGORY_FOOD,
  MILK_ID,
  page,
  readyTerminal,
  settingsItem,
  STORE_ID,
  T0,
  type TestTerminal,
} from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

const GROCERIES = '0195a000-0000-7000-8000-0000000000f0';

const questionnaire: SyncQuestionnaire = {
  standardFields: {
    ...DEFAULT_SYNC_QUESTIONNAIRE.standardFields,
    lastName: { enabled: true, required: true },
    middleName: { enabled: false, required: false },
  },
  fields: [
    {
      key: 'diet',
      label: 'Питание',
      kind: 'list',
      options: ['обычное', 'веган'],
      required: false,
      // The receipt's milk is in CATEGORY_FOOD, a subcategory of GROCERIES.
      requiredForCategoryIds: [GROCERIES],
    },
    {
      key: 'pets',
      label: 'Питомцы',
      kind: 'number',
      options: null,
      required: false,
      requiredForCategoryIds: [],
    },
  ],
};

function withQuestionnaire(t: TestTerminal): void {
  applyPage(t.ctx.db, page('settings', [{ ...settingsItem(), questionnaire }], T0), T0);
  const snapshot = standardSnapshot({
    version: 'rules-1',
    categories: [
      { id: GROCERIES, parentId: null },
      { id: CATEGORY_FOOD, parentId: GROCERIES },
    ],
    stores: [{ id: STORE_ID, attributes: { city: 'Москва' } }],
  });
  applyPage(t.ctx.db, page('rules', [{ id: 'rules', version: 'rules-1', snapshot }], T0), T0);
}

const fake = (t: TestTerminal): FakeMessageProvider => {
  const messages = t.ctx.messages;
  if (!(messages instanceof FakeMessageProvider)) throw new Error('tests use the fake provider');
  return messages;
};

const outbox = (t: TestTerminal, kind: string) =>
  t.ctx.db
    .prepare<[string], { payload: string }>('SELECT payload FROM outbox WHERE kind = ? ORDER BY seq')
    .all(kind)
    .map((r) => JSON.parse(r.payload) as Record<string, unknown>);

describe('the questionnaire at the till', () => {
  it('requires a field when the receipt holds products of its category, and checks kinds', async () => {
    terminal = await readyTerminal();
    withQuestionnaire(terminal);
    const plain = await terminal.handlers['buyer.questionnaire']({});
    if (!plain.ok) throw new Error(plain.error.message);
    expect(plain.value.fields.map((f) => f.key)).toEqual([
      'firstName',
      'lastName',
      'gender',
      'birthDate',
      'email',
      'diet',
      'pets',
    ]);
    expect(plain.value.fields.find((f) => f.key === 'diet')?.required).toBe(false);
    const withMilk = await terminal.handlers['buyer.questionnaire']({ productIds: [MILK_ID] });
    expect(withMilk.ok && withMilk.value.fields.find((f) => f.key === 'diet')).toMatchObject({
      required: true,
      requiredBy: [GROCERIES],
    });

    const missing = await terminal.handlers['buyer.register']({
      phone: '+79120000001',
      firstName: 'Олег',
      middleName: 'Иванович',
      answers: { pets: 'два' },
      productIds: [MILK_ID],
    });
    expect(!missing.ok && missing.error.code).toBe('questionnaire_invalid');
    if (missing.ok) return;
    const issues = (missing.error.details as { issues: Array<{ field: string; message: string }> }).issues;
    expect(issues.map((i) => i.field).sort()).toEqual(['diet', 'lastName', 'middleName', 'pets']);
    expect(missing.error.message).toMatch(/Заполните анкету/);
    expect(issues.find((i) => i.field === 'diet')?.message).toMatch(/когда в чеке есть такие товары/);
    expect(outbox(terminal, 'buyer_registration')).toEqual([]);

    // Without the milk the diet may stay empty; a wrong option is still refused.
    const wrongOption = await terminal.handlers['buyer.register']({
      phone: '+79120000001',
      firstName: 'Олег',
      lastName: 'Петров',
      answers: { diet: 'мясное' },
    });
    expect(!wrongOption.ok && wrongOption.error.message).toMatch(/выберите один из вариантов/);
    const created = await terminal.handlers['buyer.register']({
      phone: '+79120000001',
      firstName: 'Олег',
      lastName: 'Петров',
      answers: { diet: 'веган', pets: 2 },
      productIds: [MILK_ID],
    });
    if (!created.ok) throw new Error(created.error.message);
    expect(outbox(terminal, 'buyer_registration')[0]).toMatchObject({
      lastName: 'Петров',
      answers: { diet: 'веган', pets: 2 },
      consentPending: false,
    });
  });
});

describe('registration without a code', () => {
  it('registers at once when the provider is out of reach, then confirms the consent on the next purchase', async () => {
    terminal = await readyTerminal();
    const messages = fake(terminal);
    messages.reachable = false;
    const phone = '+79120000002';
    const failed = await terminal.handlers['buyer.sendCode']({ phone });
    expect(!failed.ok && failed.error).toMatchObject({
      code: 'message_failed',
      details: { withoutCode: true },
    });
    expect(!failed.ok && failed.error.message).toMatch(/без кода/);

    const created = await terminal.handlers['buyer.register']({
      phone,
      firstName: 'Вера',
      consents: [
        { kind: 'sms', textVersion: 'till-consent-2026-01' },
        { kind: 'advertising', textVersion: 'till-consent-2026-01' },
      ],
      withoutCode: true,
    });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value).toMatchObject({ consentPending: true, source: 'local' });
    const [registration] = outbox(terminal, 'buyer_registration');
    expect(registration).toMatchObject({ consentPending: true, consents: [] });

    // The next purchase: the buyer is identified and the consent is still pending.
    const next = await terminal.handlers['buyer.identify']({ phone });
    expect(next.ok && next.value.consentPending).toBe(true);
    const unreachable = await terminal.handlers['buyer.sendConsentCode']({ buyerId: created.value.buyerId });
    expect(!unreachable.ok && unreachable.error.code).toBe('message_failed');
    messages.reachable = true;
    const sent = await terminal.handlers['buyer.sendConsentCode']({ buyerId: created.value.buyerId });
    expect(sent.ok).toBe(true);
    const code = messages.lastCodeFor(phone) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await terminal.handlers['buyer.confirmConsent']({
      buyerId: created.value.buyerId,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(!wrong.ok && wrong.error.message).toMatch(/Неверный код/);
    expect(outbox(terminal, 'buyer_consent')).toEqual([]);

    const confirmed = await terminal.handlers['buyer.confirmConsent']({
      buyerId: created.value.buyerId,
      code,
    });
    if (!confirmed.ok) throw new Error(confirmed.error.message);
    expect(confirmed.value.consentPending).toBe(false);
    const [consent] = outbox(terminal, 'buyer_consent');
    expect(consent).toMatchObject({
      buyerId: created.value.buyerId,
      consents: [
        { kind: 'sms', channel: 'till', textVersion: 'till-consent-2026-01', code, confirmedAt: T0 },
        { kind: 'advertising', code },
      ],
    });
    expect((consent?.consents as Array<{ cashierId: string | null }>)[0]?.cashierId).toBeTruthy();
    const again = await terminal.handlers['buyer.identify']({ phone });
    expect(again.ok && again.value.consentPending).toBe(false);
    const twice = await terminal.handlers['buyer.sendConsentCode']({ buyerId: created.value.buyerId });
    expect(!twice.ok && twice.error.code).toBe('consent_not_pending');
  });

  it('takes a pulled buyer pending from another till and asks the code here', async () => {
    terminal = await readyTerminal();
    applyPage(terminal.ctx.db, page('buyers', [buyer(100_00, { consentPending: true })], T0 + 1), T0 + 1);
    const found = await terminal.handlers['buyer.identify']({ phone: BUYER_PHONE });
    expect(found.ok && found.value.consentPending).toBe(true);
    const sent = await terminal.handlers['buyer.sendConsentCode']({ buyerId: BUYER_ID });
    expect(sent.ok && sent.value.phone).toBe(BUYER_PHONE);
  });
});

describe('personal data edited at the till', () => {
  it('queues the fields changed, shows them at once, and changes the phone only with its code', async () => {
    terminal = await readyTerminal();
    withQuestionnaire(terminal);
    const renamed = await terminal.handlers['buyer.update']({
      buyerId: BUYER_ID,
      changes: { firstName: 'Анюта', email: 'anna@example.ru', birthDate: '1990-05-01', gender: 'female' },
    });
    if (!renamed.ok) throw new Error(renamed.error.message);
    expect(renamed.value.firstName).toBe('Анюта');
    expect(outbox(terminal, 'buyer_update')).toEqual([
      {
        buyerId: BUYER_ID,
        changes: { firstName: 'Анюта', email: 'anna@example.ru', birthDate: '1990-05-01', gender: 'female' },
      },
    ]);
    const details = await terminal.handlers['buyer.details']({ buyerId: BUYER_ID });
    expect(details.ok && details.value.profile).toMatchObject({
      firstName: 'Анюта',
      email: 'anna@example.ru',
      gender: 'female',
      birthDate: '1990-05-01',
    });

    const cleared = await terminal.handlers['buyer.update']({ buyerId: BUYER_ID, changes: { lastName: '' } });
    expect(!cleared.ok && cleared.error.message).toMatch(/нельзя очистить/);
    const future = await terminal.handlers['buyer.update']({
      buyerId: BUYER_ID,
      changes: { birthDate: '2099-01-01' },
    });
    expect(!future.ok && future.error.message).toMatch(/в будущем/);

    const newPhone = '+79120000003';
    const noCode = await terminal.handlers['buyer.update']({
      buyerId: BUYER_ID,
      changes: { phone: newPhone },
    });
    expect(!noCode.ok && noCode.error.code).toBe('phone_code_required');
    const sent = await terminal.handlers['buyer.sendPhoneCode']({
      buyerId: BUYER_ID,
      phone: '8 912 000-00-03',
    });
    expect(sent.ok).toBe(true);
    const code = fake(terminal).lastCodeFor(newPhone) ?? '';
    const wrongCode = await terminal.handlers['buyer.update']({
      buyerId: BUYER_ID,
      changes: { phone: newPhone },
      phoneCode: code === '000000' ? '111111' : '000000',
    });
    expect(!wrongCode.ok && wrongCode.error.code).toBe('code_wrong');
    // The phone-change code is not a registration code for that phone.
    expect(await terminal.handlers['buyer.checkCode']({ phone: newPhone, code })).toMatchObject({
      ok: false,
    });
    const moved = await terminal.handlers['buyer.update']({
      buyerId: BUYER_ID,
      changes: { phone: newPhone },
      phoneCode: code,
    });
    if (!moved.ok) throw new Error(moved.error.message);
    expect(outbox(terminal, 'buyer_update').at(-1)).toEqual({
      buyerId: BUYER_ID,
      changes: { phone: newPhone },
    });
  });
});

describe('the buyer panel and points paid with a code, offline', () => {
  it("adds this till's unsynced receipts to the server's figures and history", async () => {
    terminal = await readyTerminal({
      buyers: [buyer(500_00, { purchasesCount: 3, purchasesTotal: 300_00 })],
    });
    const sale = await terminal.handlers['sale.commit']({
      buyerId: BUYER_ID,
      identifiedBy: 'phone',
      lines: [{ productId: MILK_ID, quantity: 2000 }],
    });
    if (!sale.ok) throw new Error(sale.error.message);
    const details = await terminal.handlers['buyer.details']({ buyerId: BUYER_ID });
    if (!details.ok) throw new Error(details.error.message);
    expect(details.value.stats).toEqual({
      purchasesCount: 4,
      purchasesTotal: 300_00 + 179_80,
      averageCheck: Math.round((300_00 + 179_80) / 4),
      lastPurchaseAt: T0,
    });
    expect(details.value.history).toEqual([
      expect.objectContaining({ receiptId: sale.value.receiptId, paidMoney: 179_80, source: 'till' }),
    ]);
    expect(details.value.historyFromServer).toBe(false);
    expect(details.value.buyer.cardTypeName).toBe('Стандартная');
  });

  it('refuses a points payment that needs a code while offline, in words, and sells without points', async () => {
    terminal = await readyTerminal();
    const snapshot = standardSnapshot({
      version: 'rules-2',
      programme: { type: 'bonus', defaultCardTypeId: 'standard', redemptionRequiresCode: true },
      categories: [{ id: CATEGORY_FOOD, parentId: null }],
      stores: [{ id: STORE_ID, attributes: { city: 'Москва' } }],
    });
    applyPage(terminal.ctx.db, page('rules', [{ id: 'rules', version: 'rules-2', snapshot }], T0), T0);
    const sale = {
      buyerId: BUYER_ID,
      identifiedBy: 'phone' as const,
      lines: [{ productId: MILK_ID, quantity: 1000 }],
    };
    const priced = await terminal.handlers['sale.calculate']({ ...sale, pointsToPay: 10_00 });
    expect(priced.ok && priced.value.calculation.requiresConfirmationCode).toBe(true);
    const refused = await terminal.handlers['sale.commit']({
      ...sale,
      pointsToPay: 10_00,
      pointsCode: '123456',
    });
    expect(!refused.ok && refused.error.code).toBe('points_code_offline');
    expect(!refused.ok && refused.error.message).toMatch(/связи сейчас нет: продайте без списания баллов/);
    const code = await terminal.handlers['sale.sendPointsCode']({ buyerId: BUYER_ID });
    expect(!code.ok && code.error.code).toBe('points_code_offline');
    const withoutPoints = await terminal.handlers['sale.commit']({ ...sale, pointsToPay: 0 });
    expect(withoutPoints.ok).toBe(true);
  });
});
