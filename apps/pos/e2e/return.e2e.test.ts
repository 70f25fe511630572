// A return through the screen (A7, A9): a plain cashier sells, the senior cashier logs in on the
// returns screen, finds the receipt by its number, returns one of two items, sees the refund in
// money and points before booking it, and the return reaches the server's ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerSides } from '../../server/src/ledger/ledger.service.ts';
import {
  BARCODE,
  CARD,
  CASHIER_CODE,
  SENIOR_CODE,
  serverBalance,
  startPosE2e,
  typeCode,
  type PosE2e,
} from './pos-e2e-fixture.ts';
import { scanAsWedge } from './wedge-keys.ts';

let e: PosE2e;

beforeAll(async () => {
  e = await startPosE2e();
}, 120_000);

afterAll(async () => {
  await e?.close();
});

describe('returns screen in Chromium (browser mode)', () => {
  let receipt: { id: string; number: string };
  let balanceAfterSale: number;

  it('sells two cheeses, 150 points paid, and the sale reaches the server', async () => {
    const { page } = e;
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await scanAsWedge(cdp, CARD);
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр');
    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('450,00');
    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('900,00');
    await page.keyboard.press('F6');
    await page.keyboard.type('150', { delay: 120 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('750,00');
    await page.keyboard.press('F9');
    await page.getByTestId('committed').waitFor();
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 20_000 }).toContain(': 0');

    const row = e.core.ctx.db
      .prepare<[], { id: string; number: string }>(
        'SELECT id, number FROM receipts ORDER BY seq DESC LIMIT 1',
      )
      .get();
    if (!row) throw new Error('no receipt at the till');
    receipt = row;
    balanceAfterSale = await serverBalance(e.t, e.buyerId);
  });

  it('asks for the senior cashier before a return', async () => {
    const { page } = e;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F7');
    await page.getByTestId('senior-gate').waitFor();
    await e.shot('05-return-senior');
    // The plain cashier's own code does not open returns.
    await typeCode(page, CASHIER_CODE);
    await expect.poll(() => page.getByTestId('return-problem').textContent()).toContain('старшего кассира');
    await typeCode(page, SENIOR_CODE);
    await page.getByTestId('return-find').waitFor();
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('Петрова');
  });

  it('finds the receipt by number, shows the refund for one item and books it', async () => {
    const { page } = e;
    await expect.poll(() => page.locator(':focus').getAttribute('data-testid')).toBe('return-find');
    await page.keyboard.type(receipt.number, { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('return-lines').waitFor();
    expect(await page.getByTestId('return-lines').textContent()).toContain('Сыр «Российский»');
    // The quantity field of the first returnable line has focus.
    await expect.poll(() => page.locator(':focus').getAttribute('data-testid')).toBe('return-qty-0');
    // More than is left is refused on the spot.
    await page.keyboard.type('3', { delay: 120 });
    await page.getByTestId('return-bad-quantity').waitFor();
    await page.keyboard.press('Backspace');
    await page.keyboard.type('1', { delay: 120 });
    // One of two: half the money paid (375,00 of 750,00) and half the points paid (75 of 150).
    await expect.poll(() => page.getByTestId('refund-money').textContent()).toMatch(/375,00/);
    expect(await page.getByTestId('points-restored').textContent()).toMatch(/: 75$/);
    const calc = await e.core.handlers['return.calculate']({
      receiptId: receipt.id,
      lines: [{ index: 0, quantity: 1000 }],
    });
    if (!calc.ok) throw new Error(calc.error.message);
    await e.shot('06-return-refund');

    await page.keyboard.press('F9');
    await page.getByTestId('return-done').waitFor();
    expect(await page.getByTestId('return-done').textContent()).toMatch(/375,00/);
    await e.shot('07-return-done');

    // The return op reaches the server: booked once, and the ledger is the sale's minus the return.
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 20_000 }).toContain(': 0');
    const onServer = await e.t.db
      .selectFrom('receipt_returns')
      .select('id')
      .where('receipt_id', '=', receipt.id)
      .execute();
    expect(onServer).toHaveLength(1);
    const reversed =
      calc.value.totals.accrualReversed +
      calc.value.receiptAccrualsReversed.reduce((sum, a) => sum + a.points, 0);
    expect(await serverBalance(e.t, e.buyerId)).toBe(balanceAfterSale + 75_00 - reversed);
    const sides = await ledgerSides(e.t.db, e.buyerId);
    expect(sides.entries).toBe(sides.balance);
    expect(sides.lots - sides.debt).toBe(sides.balance);

    // Found again, the receipt has one item left to return.
    await page.keyboard.press('Escape');
    await page.keyboard.type(receipt.number, { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('return-lines').waitFor();
    await expect
      .poll(() => page.getByTestId('return-receipt').textContent())
      .toContain('Возвратов по чеку ранее: 1');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('sale-screen').waitFor();
  });
});
