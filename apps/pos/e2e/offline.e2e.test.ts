// An offline sale (A8): the server stops listening, the cashier sells, the status bar shows the
// server unreachable and one receipt waiting; the server listens again, the receipt syncs by
// itself and the counter returns to 0.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BARCODE, CASHIER_CODE, startPosE2e, typeCode, type PosE2e } from './pos-e2e-fixture.ts';
import { scanAsWedge } from './wedge-keys.ts';

let e: PosE2e;

beforeAll(async () => {
  e = await startPosE2e();
}, 120_000);

afterAll(async () => {
  await e?.close();
});

describe('offline sale in Chromium (browser mode)', () => {
  it('sells with the server stopped and syncs the receipt once it is back', async () => {
    const { page } = e;
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();
    await expect.poll(() => page.getByTestId('online-state').textContent()).toBe('В сети');

    // The server's listener stops and its open connections (the event stream) drop.
    const server = e.t.app.server;
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

    const cdp = await page.context().newCDPSession(page);
    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('450,00');
    await page.keyboard.press('F9');
    await page.getByTestId('committed').waitFor();
    await expect
      .poll(() => page.getByTestId('online-state').textContent(), { timeout: 20_000 })
      .toBe('Нет связи с сервером');
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 20_000 }).toContain(': 1');
    await e.shot('08-offline-sale');

    const receipt = e.core.ctx.db
      .prepare<[], { id: string }>('SELECT id FROM receipts ORDER BY seq DESC LIMIT 1')
      .get();
    if (!receipt) throw new Error('no receipt at the till');

    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 45_000 }).toContain(': 0');
    await expect
      .poll(() => page.getByTestId('online-state').textContent(), { timeout: 20_000 })
      .toBe('В сети');
    const onServer = await e.t.db.selectFrom('receipts').select('id').where('id', '=', receipt.id).execute();
    expect(onServer).toHaveLength(1);
    await e.shot('09-offline-synced');
  }, 90_000);
});
