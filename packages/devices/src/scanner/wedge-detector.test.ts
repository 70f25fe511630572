import { describe, expect, it } from 'vitest';
import { createWedgeDetector, type WedgeKey, type WedgeOutcome } from './wedge-detector.ts';

// The Russian layout (ЙЦУКЕН) over the US keys, as Chromium reports `key` with it active.
const RUSSIAN: Record<string, string> = { KeyQ: 'й', KeyW: 'ц', KeyE: 'у', KeyR: 'к', KeyA: 'ф' };

/** Key events for `text` typed on US keys, `gap` ms apart from `start`, with `layout` keys. */
function keys(text: string, start: number, gap: number, layout: Record<string, string> = {}): WedgeKey[] {
  return [...text].map((ch, i) => {
    const code = /[0-9]/.test(ch) ? `Digit${ch}` : ch === '\n' ? 'Enter' : `Key${ch.toUpperCase()}`;
    const shiftKey = /[A-Z]/.test(ch);
    const base = layout[code] ?? (ch === '\n' ? 'Enter' : ch);
    return { code, key: shiftKey ? base.toUpperCase() : base, shiftKey, time: start + i * gap };
  });
}

function run(events: WedgeKey[], end?: number): WedgeOutcome[] {
  const d = createWedgeDetector();
  const out: WedgeOutcome[] = events.flatMap((e) => d.push(e)).filter((o) => o.type !== 'held');
  if (end !== undefined) out.push(...d.expire(end));
  return out;
}

describe('keyboard-wedge detector', () => {
  it('takes a fast burst ending in Enter as one scan', () => {
    expect(run(keys('4601234567893\n', 1000, 5))).toEqual([{ type: 'scan', value: '4601234567893' }]);
  });

  it('reads the physical keys under a Russian layout, so QWER scans as QWER, not ЙЦУК', () => {
    const events = keys('QWERqwer123\n', 0, 4, RUSSIAN);
    expect(events[0]).toMatchObject({ key: 'Й', code: 'KeyQ' });
    expect(run(events)).toEqual([{ type: 'scan', value: 'QWERqwer123' }]);
  });

  it('lets a person type: slow keys come back as typed, each with its layout character', () => {
    const out = run(keys('qwe', 0, 150, RUSSIAN), 10_000);
    expect(out.map((o) => (o.type === 'typed' ? o.keys.map((k) => k.key).join('') : o.type))).toEqual([
      'й',
      'ц',
      'у',
    ]);
  });

  it('a short fast burst (key rollover) then Enter is typing plus Enter, not a scan', () => {
    const out = run(keys('12\n', 0, 10));
    expect(out).toEqual([{ type: 'typed', keys: keys('12', 0, 10) }, { type: 'pass' }]);
  });

  it('a burst without terminator becomes a scan once the line goes silent', () => {
    const d = createWedgeDetector();
    for (const e of keys('7000123456', 0, 3)) d.push(e);
    expect(d.holding()).toBe(true);
    expect(d.expire(30)).toEqual([]);
    expect(d.expire(100)).toEqual([{ type: 'scan', value: '7000123456' }]);
    expect(d.holding()).toBe(false);
  });

  it('a scan right after typing: the typed keys are released first, then the scan', () => {
    const typed = keys('5', 0, 0);
    const scan = keys('1234567\n', 500, 5);
    expect(run([...typed, ...scan])).toEqual([
      { type: 'typed', keys: typed },
      { type: 'scan', value: '1234567' },
    ]);
  });

  it('passes Shift through without breaking the burst, and keeps capitals', () => {
    const d = createWedgeDetector();
    const out = [
      ...d.push({ code: 'ShiftLeft', key: 'Shift', shiftKey: true, time: 0 }),
      ...keys('AB12\n', 2, 3).flatMap((e) => d.push(e)),
    ].filter((o) => o.type !== 'held');
    expect(out).toEqual([{ type: 'pass' }, { type: 'scan', value: 'AB12' }]);
  });

  it('a non-character key during a burst releases it as typing and passes itself', () => {
    const d = createWedgeDetector();
    const burst = keys('12345', 0, 3);
    burst.forEach((e) => d.push(e));
    expect(d.push({ code: 'Backspace', key: 'Backspace', shiftKey: false, time: 14 })).toEqual([
      { type: 'typed', keys: burst },
      { type: 'pass' },
    ]);
  });

  it('a lone Enter passes', () => {
    expect(run(keys('\n', 0, 0))).toEqual([{ type: 'pass' }]);
  });
});
