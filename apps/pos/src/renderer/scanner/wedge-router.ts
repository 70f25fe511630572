// Routes every key of the window through the wedge detector before any field sees it: a scan
// goes to the scan handler (never into whichever field has focus), typing is replayed into the
// focused field a few ms later. Installed once, in the capture phase of `window`.
import {
  createWedgeDetector,
  type WedgeKey,
  type WedgeOptions,
} from '@loyalty/devices/scanner/wedge-detector';

/** Where routed keys go. */
export type WedgeRoutes = {
  onScan(code: string): void;
  /** A typed character with no text field focused (e.g. "+" / "-" on the receipt). */
  onKeyOutsideField(key: string): void;
};

const editable = (el: Element | null): el is HTMLInputElement | HTMLTextAreaElement =>
  (el instanceof HTMLInputElement && !el.readOnly && !el.disabled) ||
  (el instanceof HTMLTextAreaElement && !el.readOnly && !el.disabled);

/** Starts routing; returns the function that stops it. */
export function installWedgeRouter(
  routes: () => WedgeRoutes,
  options: Partial<WedgeOptions> = {},
): () => void {
  const detector = createWedgeDetector(options);
  const maxGap = options.maxGapMs ?? 40;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const replay = (keys: readonly WedgeKey[]) => {
    const el = document.activeElement;
    if (editable(el)) {
      // insertText goes through the browser's editing path, so React sees ordinary input events.
      document.execCommand('insertText', false, keys.map((k) => k.key).join(''));
    } else for (const k of keys) routes().onKeyOutsideField(k.key);
  };

  const settle = (outcomes: ReturnType<typeof detector.push>) => {
    for (const o of outcomes) {
      if (o.type === 'scan') routes().onScan(o.value);
      else if (o.type === 'typed') replay(o.keys);
    }
  };

  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(function check() {
      settle(detector.expire(performance.now()));
      if (detector.holding()) timer = setTimeout(check, maxGap);
    }, maxGap + 5);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // Shortcuts with Ctrl/Alt/Meta are never scanner output; resolve what is held first.
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) {
      if (detector.holding()) settle(detector.expire(Number.POSITIVE_INFINITY));
      return;
    }
    const outcomes = detector.push({ code: e.code, key: e.key, shiftKey: e.shiftKey, time: e.timeStamp });
    const last = outcomes[outcomes.length - 1];
    if (last?.type === 'held' || last?.type === 'scan') {
      // The key belongs to a possible scan (or ends one): no field and no handler may see it.
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    settle(outcomes);
    if (detector.holding()) arm();
  };

  window.addEventListener('keydown', onKeyDown, true);
  return () => {
    clearTimeout(timer);
    window.removeEventListener('keydown', onKeyDown, true);
  };
}
