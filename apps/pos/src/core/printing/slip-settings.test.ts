import { afterEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '@loyalty/devices/testing/escpos-decoder';
import { startTcpPrintCapture, type TcpPrintCapture } from '@loyalty/devices/testing/tcp-print-capture';
import { BUYER_ID, MILK_ID, readyTerminal, type TestTerminal } from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
let capture: TcpPrintCapture | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  await capture?.close();
  terminal = undefined;
  capture = undefined;
});

type Issue = { path: string; message: string };
const issuesOf = (answer: { ok: boolean; error?: { details?: unknown } }): Issue[] =>
  (answer.error?.details as { issues?: Issue[] } | undefined)?.issues ?? [];

async function sale(t: TestTerminal, buyerId: string | null) {
  const answer = await t.handlers['sale.commit']({
    ...(buyerId ? { buyerId, identifiedBy: 'phone' as const } : {}),
    lines: [{ productId: MILK_ID, quantity: 1000 }],
  });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value;
}

describe('the slip local setting (A6) on real SQLite', () => {
  it('prints the header, footer and review QR before the receipt QR, without a cut when none', async () => {
    terminal = await readyTerminal();
    capture = await startTcpPrintCapture(0);
    const set = await terminal.handlers['settings.set']({
      local: {
        printer: { transport: 'tcp', host: '127.0.0.1', port: capture.port, columns: 32, cut: 'none' },
        slip: {
          header: ['ИНН 7701234567'],
          footer: ['Ждём вас снова!', 'Тел. 8 800 000-00-00'],
          qrKind: 'review',
          qrLink: 'https://example.ru/otzyv',
        },
      },
    });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    // Defaults filled in when stored.
    expect(set.ok && set.value.local.slip).toMatchObject({ qrCaption: '', qrKind: 'review' });

    const receipt = await sale(terminal, BUYER_ID);
    expect((await terminal.handlers['receipt.print']({ receiptId: receipt.receiptId })).ok).toBe(true);
    const paper = decodeEscPos(await capture.next());
    expect(paper.text).toContain('ИНН 7701234567');
    expect(paper.text).toContain('Ждём вас снова!');
    expect(paper.text).toContain('Тел. 8 800 000-00-00');
    expect(paper.text).not.toContain('Спасибо за покупку!');
    expect(paper.text).toContain('Оцените покупку и оставьте отзыв');
    expect(paper.qrCodes).toEqual(['https://example.ru/otzyv', `receipt:${receipt.receiptId}`]);
    expect(paper.cuts).toBe(0);

    expect((await terminal.handlers['printer.test']({})).ok).toBe(true);
    const test = decodeEscPos(await capture.next());
    expect(test.text).toContain('Ждём вас снова!');
    expect(test.qrCodes).toEqual(['https://example.ru/otzyv', 'https://example.ru/test']);
  });

  it('a referral link carries the buyer id; a sale without a buyer prints only the receipt QR', async () => {
    terminal = await readyTerminal();
    capture = await startTcpPrintCapture(0);
    await terminal.handlers['settings.set']({
      local: {
        printer: { transport: 'tcp', host: '127.0.0.1', port: capture.port },
        slip: { qrKind: 'referral', qrLink: 'https://example.ru/r?ref={buyer}', qrCaption: 'Друзьям' },
      },
    });
    const withBuyer = await sale(terminal, BUYER_ID);
    await terminal.handlers['receipt.print']({ receiptId: withBuyer.receiptId });
    const paper = decodeEscPos(await capture.next());
    expect(paper.qrCodes).toEqual([`https://example.ru/r?ref=${BUYER_ID}`, `receipt:${withBuyer.receiptId}`]);
    expect(paper.text).toContain('Друзьям');
    // The footer default stays when the setting names none.
    expect(paper.text).toContain('Спасибо за покупку!');
    expect(paper.cuts).toBe(1);

    const anonymous = await sale(terminal, null);
    await terminal.handlers['receipt.print']({ receiptId: anonymous.receiptId });
    expect(decodeEscPos(await capture.next()).qrCodes).toEqual([`receipt:${anonymous.receiptId}`]);
  });

  it('refuses bad texts and links per field in Russian and writes nothing', async () => {
    terminal = await readyTerminal();
    const answer = await terminal.handlers['settings.set']({
      local: { windowMode: 'kiosk', slip: { footer: ['Спасибо 😀', 'x'.repeat(65)] } },
    });
    expect(answer.ok).toBe(false);
    const issues = issuesOf(answer);
    expect(issues.map((i) => i.path)).toEqual(['local.slip.footer[0]', 'local.slip.footer[1]']);
    expect(issues[0]?.message).toContain('😀');
    expect(issues[0]?.message).toContain('CP866');
    expect(issues[1]?.message).toContain('64 символов');
    const tooMany = await terminal.handlers['settings.set']({
      local: { slip: { header: ['a', 'b', 'c', 'd'] } },
    });
    expect(issuesOf(tooMany)).toEqual([
      expect.objectContaining({ path: 'local.slip.header', message: 'Шапка чека: не больше трёх строк' }),
    ]);
    const noBuyer = await terminal.handlers['settings.set']({
      local: { slip: { qrKind: 'referral', qrLink: 'https://example.ru/r' } },
    });
    expect(issuesOf(noBuyer).map((i) => i.path)).toEqual(['local.slip.qrLink']);
    expect(issuesOf(noBuyer)[0]?.message).toContain('{buyer}');
    const stored = await terminal.handlers['settings.get']({});
    expect(stored.ok && stored.value.local).toEqual({});

    const noLink = await terminal.handlers['settings.set']({
      local: { slip: { qrKind: 'review', qrLink: 'ftp://x' } },
    });
    expect(issuesOf(noLink).map((i) => i.path)).toEqual(['local.slip.qrLink']);
    expect(issuesOf(noLink)[0]?.message).toContain('https://');
  });
});
