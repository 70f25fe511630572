// A keyboard-wedge scanner as Chromium sees it, injected through CDP: one keyDown/keyUp per
// character, a few ms apart, with the `key` the active OS layout would produce (Russian here),
// so the test exercises exactly what a real scanner does to the page.
import type { CDPSession } from 'playwright-core';

// ЙЦУКЕН over the US keys: what `key` reads for each letter key with the Russian layout active.
const RUSSIAN = 'йцукенгшщзфывапролдячсмитьхъжэбю';
const US = "qwertyuiopasdfghjklzxcvbnm[];',.";

/** The physical key for a character a US-layout scanner sends, and whether Shift is held. */
function physical(ch: string): { code: string; shift: boolean; vk: number } {
  if (/[a-z]/i.test(ch))
    return {
      code: `Key${ch.toUpperCase()}`,
      shift: ch !== ch.toLowerCase(),
      vk: ch.toUpperCase().charCodeAt(0),
    };
  if (/[0-9]/.test(ch)) return { code: `Digit${ch}`, shift: false, vk: ch.charCodeAt(0) };
  if (ch === '-') return { code: 'Minus', shift: false, vk: 189 };
  throw new Error(`no key for ${ch}`);
}

/** What the Russian layout types for a physical key. */
function russianKey(code: string, shift: boolean, ch: string): string {
  if (!code.startsWith('Key')) return ch;
  const ru = RUSSIAN[US.indexOf(code.slice(3).toLowerCase())] ?? ch;
  return shift ? ru.toUpperCase() : ru;
}

/**
 * Sends `text` then Enter as a wedge scanner under the Russian layout would: every key event is
 * sent at once and stamped 2 ms apart, as a USB scanner's reports arrive, so a loaded test machine
 * (slow CDP round trips) cannot stretch the burst into "typing" or end it early by silence.
 */
export async function scanAsWedge(cdp: CDPSession, text: string): Promise<void> {
  const start = Date.now() / 1000;
  const sends: Promise<unknown>[] = [];
  const send = (code: string, key: string, vk: number, modifiers: number, i: number, typed: string) => {
    const common = { code, key, windowsVirtualKeyCode: vk, modifiers, timestamp: start + i * 0.002 };
    sends.push(
      cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...common, text: typed, unmodifiedText: typed }),
      cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common }),
    );
  };
  [...text].forEach((ch, i) => {
    const { code, shift, vk } = physical(ch);
    const key = russianKey(code, shift, ch);
    send(code, key, vk, shift ? 8 : 0, i, key);
  });
  send('Enter', 'Enter', 13, 0, text.length, '\r');
  await Promise.all(sends);
}
