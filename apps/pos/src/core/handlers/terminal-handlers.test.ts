import { afterEach, describe, expect, it } from 'vitest';
import { FakeMessageProvider } from '#core/messaging/message-provider.ts';
import {
  BUYER_CARD,
  BUYER_ID,
  MILK_BARCODE,
  openTerminal,
  readyTerminal,
  type TestTerminal,
} from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

describe('handler validation', () => {
  it('answers bad arguments with every issue, in Russian, as a value', async () => {
    terminal = await readyTerminal();
    const bad = await terminal.handlers['sale.calculate']({
      lines: [{ productId: 'x', quantity: 0.5 }, { quantity: 1000 }],
      pointsToPay: -1,
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.message).toMatch(/^Неверные данные \(чек\)/);
    const paths = (bad.error.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['lines[0].quantity', 'lines[1]', 'pointsToPay']));
    const noArgs = await terminal.handlers['buyer.identify'](undefined as never);
    expect(!noArgs.ok && noArgs.error.code).toBe('invalid_input');
    const extra = await terminal.handlers['terminal.status']({ surprise: 1 } as never);
    expect(!extra.ok && extra.error.code).toBe('invalid_input');
  });

  it('names products the catalogue lacks, and sells them when the till gives a price', async () => {
    terminal = await readyTerminal();
    const missing = await terminal.handlers['sale.calculate']({
      lines: [{ barcode: '0000000000000', quantity: 1000 }],
    });
    expect(!missing.ok && missing.error).toMatchObject({
      code: 'product_not_found',
      details: { missing: [{ index: 0 }] },
    });
    const priced = await terminal.handlers['sale.calculate']({
      lines: [{ productId: 'SKU-NEW', quantity: 1000, price: 100_00 }],
    });
    expect(priced.ok && priced.value.calculation.totals.amount).toBe(100_00);
  });

  it('says the terminal is not paired before anything else can work', async () => {
    terminal = openTerminal();
    const sale = await terminal.handlers['sale.calculate']({
      lines: [{ productId: 'a', quantity: 1000, price: 1 }],
    });
    expect(!sale.ok && sale.error.code).toBe('not_paired');
    const sync = await terminal.handlers['sync.now']({});
    expect(!sync.ok && sync.error.code).toBe('not_paired');
  });
});

describe('catalogue and buyers offline', () => {
  it('finds products by Cyrillic name in any case, by SKU and by barcode', async () => {
    terminal = await readyTerminal();
    const byName = await terminal.handlers['catalogue.search']({ text: 'МОЛОКО' });
    expect(byName.ok && byName.value.products.map((p) => p.name)).toEqual(['Молоко 3,2% 1 л']);
    const byBarcode = await terminal.handlers['catalogue.byBarcode']({ barcode: MILK_BARCODE });
    expect(byBarcode.ok && byBarcode.value.products).toHaveLength(1);
    const prefix = await terminal.handlers['catalogue.search']({ text: MILK_BARCODE.slice(0, 6) });
    expect(prefix.ok && prefix.value.products).toHaveLength(1);
  });

  it('identifies a buyer by any spelling of the phone and by card; refuses an unknown one offline', async () => {
    terminal = await readyTerminal();
    for (const phone of ['8 912 345-67-89', '+7 (912) 345 67 89', '79123456789']) {
      const found = await terminal.handlers['buyer.identify']({ phone });
      expect(found.ok && found.value).toMatchObject({
        buyerId: BUYER_ID,
        identifiedBy: 'phone',
        phone: '+7 *** ***-67-89',
      });
    }
    const card = await terminal.handlers['buyer.identify']({ cardNumber: BUYER_CARD });
    expect(card.ok && card.value.points.available).toBe(500_00);
    const bad = await terminal.handlers['buyer.identify']({ phone: '123' });
    expect(!bad.ok && bad.error.code).toBe('phone_invalid');
    const unknown = await terminal.handlers['buyer.identify']({ phone: '+7 912 999-99-99' });
    expect(!unknown.ok && unknown.error.message).toMatch(/сервер сейчас недоступен/);
    const qr = await terminal.handlers['buyer.identify']({ qr: 'LQ1.whatever' });
    expect(!qr.ok && qr.error.code).toBe('qr_unavailable');
  });

  it('registers a buyer at once on the till and queues the op', async () => {
    terminal = await readyTerminal();
    const created = await terminal.handlers['buyer.register']({
      phone: '8 (912) 111-22-33',
      firstName: 'Олег',
      consents: [{ kind: 'sms', textVersion: 'v1' }],
    });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value).toMatchObject({ source: 'local', firstName: 'Олег', points: { available: 0 } });
    const again = await terminal.handlers['buyer.identify']({ phone: '+79121112233' });
    expect(again.ok && again.value.buyerId).toBe(created.value.buyerId);
    const twice = await terminal.handlers['buyer.register']({ phone: '+79121112233' });
    expect(!twice.ok && twice.error.code).toBe('buyer_exists');
    const status = await terminal.handlers['sync.status']({});
    expect(status.ok && status.value.queuedOps).toBe(1);
  });

  it('sends a registration code through the provider, checks it, and takes it as proof of consent', async () => {
    terminal = await readyTerminal();
    const messages = terminal.ctx.messages;
    if (!(messages instanceof FakeMessageProvider)) throw new Error('tests use the fake provider');
    const sent = await terminal.handlers['buyer.sendCode']({ phone: '8 (912) 444-55-66' });
    expect(sent.ok && sent.value.phone).toBe('+79124445566');
    const again = await terminal.handlers['buyer.sendCode']({ phone: '+79124445566' });
    expect(!again.ok && again.error.code).toBe('code_too_soon');
    const code = messages.lastCodeFor('+79124445566') ?? '';
    expect(code).toMatch(/^\d{6}$/);

    const unconfirmed = await terminal.handlers['buyer.register']({
      phone: '+79124445566',
      consents: [{ kind: 'sms', textVersion: 'v1', code }],
    });
    expect(!unconfirmed.ok && unconfirmed.error.code).toBe('code_not_confirmed');
    const wrong = await terminal.handlers['buyer.checkCode']({
      phone: '+79124445566',
      code: code === '000000' ? '111111' : '000000',
    });
    expect(!wrong.ok && wrong.error.message).toMatch(/Неверный код/);
    const bad = await terminal.handlers['buyer.checkCode']({ phone: '+79124445566', code: 'abc' });
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
    const right = await terminal.handlers['buyer.checkCode']({ phone: '+79124445566', code });
    expect(right.ok).toBe(true);

    const created = await terminal.handlers['buyer.register']({
      phone: '+79124445566',
      firstName: 'Анна',
      consents: [{ kind: 'sms', textVersion: 'v1', code }],
    });
    expect(created.ok).toBe(true);
    const op = terminal.ctx.db
      .prepare<[], { payload: string }>(`SELECT payload FROM outbox WHERE kind = 'buyer_registration'`)
      .get();
    expect(JSON.parse(op?.payload ?? '{}')).toMatchObject({
      consents: [{ kind: 'sms', channel: 'till', textVersion: 'v1', code }],
    });
    const exists = await terminal.handlers['buyer.sendCode']({ phone: '+79124445566' });
    expect(!exists.ok && exists.error.code).toBe('buyer_exists');
  });
});
