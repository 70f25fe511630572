// Workstation settings in Chromium (A6, A10, A11): on the F10 screen the cashier turns the cut off,
// sets a footer line and a review QR, and the decoded test page and a printed receipt show them
// (the receipt's own return QR still printed after the review one); a serial scanner without a
// suffix gets its pause from the form; the window mode and update channel are stored for the
// desktop shell, and a bad channel is refused with the core's Russian message at the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '@loyalty/devices/testing/escpos-decoder';
import { startTcpPrintCapture, type TcpPrintCapture } from '@loyalty/devices/testing/tcp-print-capture';
import { CASHIER_CODE, startPosE2e, typeCode, type PosE2e } from './pos-e2e-fixture.ts';

let e: PosE2e;
let capture: TcpPrintCapture;

beforeAll(async () => {
  e = await startPosE2e();
  capture = await startTcpPrintCapture(0);
}, 120_000);

afterAll(async () => {
  await e?.close();
  await capture?.close();
});

const localSettings = async () => {
  const answer = await e.core.handlers['settings.get']({});
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value.local;
};

describe('workstation settings in Chromium (browser mode)', () => {
  it('cut off, a footer line and a review QR reach the test page and a printed receipt', async () => {
    const { page } = e;
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();
    await page.keyboard.press('F10');
    await page.getByTestId('devices-screen').waitFor();

    const printer = page.getByTestId('printer-card');
    await printer.getByText('Сеть (TCP)').click();
    await printer.getByLabel('Адрес принтера').fill('127.0.0.1');
    await printer.getByLabel('Порт', { exact: true }).fill(String(capture.port));
    await printer.getByLabel('Символов в строке').fill('32');
    await printer.getByText('Без отрезки (отрыв)').click();
    await printer.getByLabel('Строк прогона перед отрезкой').fill('2');
    await printer.getByLabel('Размер точки QR (1–8)').fill('4');
    await page.getByTestId('save-printer').click();
    await expect.poll(() => page.getByTestId('printer-note').textContent()).toContain('сохранены');

    const slip = page.getByTestId('slip-card');
    await page.getByTestId('slip-footer').fill('Ждём вас снова!\nТел. 8 800 000-00-00');
    await slip.getByText('Ссылка на отзыв').click();
    await slip.getByLabel('Ссылка', { exact: true }).fill('https://example.ru/otzyv');
    await page.getByTestId('save-slip').click();
    await expect.poll(() => page.getByTestId('slip-note').textContent()).toContain('сохранены');
    await e.shot('workstation-01-slip');

    await page.getByTestId('test-print').click();
    const test = decodeEscPos(await capture.next());
    expect(test.text).toContain('ПРОВЕРКА ПЕЧАТИ');
    expect(test.text).toContain('Ждём вас снова!');
    expect(test.text).toContain('Тел. 8 800 000-00-00');
    expect(test.text).toContain('Оцените покупку и оставьте отзыв');
    expect(test.qrCodes).toEqual(['https://example.ru/otzyv', 'https://example.ru/test']);
    expect(test.cuts).toBe(0);

    expect(await localSettings()).toMatchObject({
      printer: {
        transport: 'tcp',
        port: capture.port,
        columns: 32,
        cut: 'none',
        feedBeforeCut: 2,
        qrSize: 4,
      },
      slip: {
        footer: ['Ждём вас снова!', 'Тел. 8 800 000-00-00'],
        qrKind: 'review',
        qrLink: 'https://example.ru/otzyv',
      },
    });

    // A receipt booked and printed: the review QR, then the receipt's own QR a return scans.
    const products = await e.core.handlers['catalogue.search']({ text: 'Сыр' });
    const cheese = products.ok ? products.value.products[0] : undefined;
    if (!cheese) throw new Error('no product');
    const sale = await e.core.handlers['sale.commit']({
      buyerId: e.buyerId,
      identifiedBy: 'card',
      lines: [{ productId: cheese.id, quantity: 1000 }],
    });
    if (!sale.ok) throw new Error(sale.error.message);
    const printed = await e.core.handlers['receipt.print']({ receiptId: sale.value.receiptId });
    expect(printed.ok, JSON.stringify(printed)).toBe(true);
    const paper = decodeEscPos(await capture.next());
    expect(paper.text).toContain(`Чек № ${sale.value.number}`);
    expect(paper.text).toContain('Ждём вас снова!');
    expect(paper.qrCodes).toEqual(['https://example.ru/otzyv', `receipt:${sale.value.receiptId}`]);
    expect(paper.cuts).toBe(0);
    expect(Math.max(...paper.lines.map((line) => line.length))).toBeLessThanOrEqual(32);
  });

  it('a bad slip text shows the core’s Russian message at the field and changes nothing', async () => {
    const { page } = e;
    await page.getByTestId('slip-footer').fill('Спасибо ✓');
    await page.getByTestId('save-slip').click();
    const error = page.getByTestId('slip-card').locator('.ant-form-item-explain-error');
    await expect.poll(() => error.first().textContent()).toContain('Принтер не напечатает символы ✓');
    expect((await localSettings()).slip).toMatchObject({
      footer: ['Ждём вас снова!', 'Тел. 8 800 000-00-00'],
    });
  });

  it('a serial scanner without a suffix is added with the pause typed in the form', async () => {
    const { page } = e;
    const scanners = page.getByTestId('scanners-card');
    await page.getByTestId('scanner-port').locator('input').fill('/dev/ttyE2EPAUSE');
    await page.getByTestId('scanner-suffix').click();
    await page.locator('.ant-select-item-option').getByText('нет (по паузе)').click();
    await scanners.getByLabel('Пауза, мс').fill('120');
    await page.getByTestId('add-scanner').click();
    await expect
      .poll(() => page.getByTestId('scanner-list').textContent())
      .toContain('нет (по паузе) 120 мс');
    expect((await localSettings()).scanners).toEqual([
      expect.objectContaining({
        kind: 'serial',
        path: '/dev/ttyE2EPAUSE',
        suffix: 'none',
        interCharTimeoutMs: 120,
      }),
    ]);
    await scanners.getByTestId('remove-scanner-0').click();
    await expect.poll(async () => (await localSettings()).scanners).toEqual([]);
  });

  it('the window mode and update channel are stored; a bad channel gets the Russian message', async () => {
    const { page } = e;
    const card = page.getByTestId('workstation-card');
    expect(await page.getByTestId('workstation-window-note').textContent()).toContain(
      'при следующем запуске',
    );
    expect(await page.getByTestId('workstation-window-note').textContent()).toContain('в браузере');
    // Keyboard only: focus the checked radio, arrows move the choice (window -> fullscreen -> kiosk).
    await card.getByLabel('Обычное окно').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await card.getByLabel('Киоск').isChecked()).toBe(true);
    const channel = page.getByTestId('update-channel').locator('input');
    await channel.fill('beta');
    await page.getByTestId('save-workstation').click();
    await expect.poll(() => page.getByTestId('workstation-note').textContent()).toContain('сохранены');
    expect(await localSettings()).toMatchObject({ windowMode: 'kiosk', updateChannel: 'beta' });

    await channel.fill('Бета канал');
    await page.getByTestId('save-workstation').click();
    const error = card.locator('.ant-form-item-explain-error');
    await expect
      .poll(() => error.first().textContent())
      .toContain('Канал обновлений — латинские строчные буквы');
    // Every message went to its field, so the note above only points at them.
    expect(await page.getByTestId('workstation-note').textContent()).toBe(
      'Исправьте поля, отмеченные красным',
    );
    await e.shot('workstation-02-bad-channel');
    expect(await localSettings()).toMatchObject({ windowMode: 'kiosk', updateChannel: 'beta' });
    expect(await page.getByTestId('devices-screen').isVisible()).toBe(true);
  });
});
