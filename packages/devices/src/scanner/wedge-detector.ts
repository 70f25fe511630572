// Tells a keyboard-wedge scanner apart from a person typing by the time between keys: a scanner
// sends a whole code in a burst (a few ms per key) ending with Enter, a person needs 80+ ms per
// key. Pure: the caller feeds key events with their timestamps and runs a timer for `expire`.
import { charForCode } from './key-code-chars.ts';

/** One keydown, as the detector needs it. `time` in ms on any monotonic clock (event.timeStamp). */
export type WedgeKey = {
  readonly code: string;
  readonly key: string;
  readonly shiftKey: boolean;
  readonly time: number;
};

/** What to do with the keys seen so far. */
export type WedgeOutcome =
  /** Hold the key back (do not let it reach the focused field yet); call `expire` after `maxGapMs`. */
  | { readonly type: 'held' }
  /** A complete scan: hand `value` to the scan handler, never to the focused field. */
  | { readonly type: 'scan'; readonly value: string }
  /** A person typed these keys: replay them into the focused field, in order. */
  | { readonly type: 'typed'; readonly keys: readonly WedgeKey[] }
  /** Not a key the detector cares about (modifiers, arrows, F-keys, a lone Enter): let it through. */
  | { readonly type: 'pass' };

/** Tuning of the detector; the defaults suit USB wedge scanners at their factory settings. */
export type WedgeOptions = {
  /** The longest pause between two keys of one scan. */
  readonly maxGapMs: number;
  /** The shortest code taken as a scan (shorter bursts are typing). */
  readonly minLength: number;
  /** Keys that end a scan; the terminator itself never reaches a field. */
  readonly terminators: readonly string[];
  /** Take a fast burst that ends in silence (no terminator) as a scan too. */
  readonly scanOnSilence: boolean;
};

export const defaultWedgeOptions: WedgeOptions = {
  maxGapMs: 40,
  minLength: 4,
  terminators: ['Enter', 'NumpadEnter', 'Tab'],
  scanOnSilence: true,
};

/** The detector's state machine; one per window. */
export type WedgeDetector = {
  /** Feeds one keydown; returns what to do with it and with any keys held before it. */
  push(key: WedgeKey): WedgeOutcome[];
  /** Called by the caller's timer: a burst that stayed silent for `maxGapMs` is resolved. */
  expire(now: number): WedgeOutcome[];
  /** Whether keys are being held (the caller keeps its timer running while this is true). */
  holding(): boolean;
};

const isModifier = (code: string) => /^(Shift|Control|Alt|Meta|CapsLock|NumLock|ScrollLock|OS|Fn)/.test(code);

/** Creates a detector; `options` override the defaults. */
export function createWedgeDetector(options: Partial<WedgeOptions> = {}): WedgeDetector {
  const o: WedgeOptions = { ...defaultWedgeOptions, ...options };
  let held: WedgeKey[] = [];
  let text = '';

  // `silence`: the burst ended by a pause (may be a scan without terminator), not by another key.
  const release = (silence: boolean): WedgeOutcome[] => {
    if (held.length === 0) return [];
    const out: WedgeOutcome =
      silence && o.scanOnSilence && text.length >= o.minLength
        ? { type: 'scan', value: text }
        : { type: 'typed', keys: held };
    held = [];
    text = '';
    return [out];
  };

  const last = () => held[held.length - 1];

  return {
    push(key) {
      // Modifiers arrive inside a scan too (Shift for capitals): they neither extend nor break it.
      if (isModifier(key.code)) return [{ type: 'pass' }];
      const previous = last();
      const inBurst = previous !== undefined && key.time - previous.time <= o.maxGapMs;
      const out: WedgeOutcome[] = inBurst ? [] : release(true);

      if (o.terminators.includes(key.code) || o.terminators.includes(key.key)) {
        const value = text;
        const keys = held;
        held = [];
        text = '';
        if (inBurst && value.length >= o.minLength) return [...out, { type: 'scan', value }];
        // A short burst then Enter is a person: their keys first, then the Enter itself.
        return [...out, ...(keys.length > 0 ? [{ type: 'typed' as const, keys }] : []), { type: 'pass' }];
      }

      const char = charForCode(key.code, key.shiftKey);
      if (char === null) return [...out, ...release(false), { type: 'pass' }];
      held.push(key);
      text += char;
      return [...out, { type: 'held' }];
    },
    expire(now) {
      const previous = last();
      if (previous === undefined || now - previous.time < o.maxGapMs) return [];
      return release(true);
    },
    holding: () => held.length > 0,
  };
}
