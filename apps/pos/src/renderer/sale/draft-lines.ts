// Where a product goes on the receipt being built: the same product scanned or picked again adds
// to its line (unless that line has a price the cashier typed), anything else is a new line. The
// core's `sale.scan` places a scanned product by the same rule (src/core/sale/sale-scan.ts), and
// the sale screen checks that both agree before it shows the core's calculation.
import type { DraftLine } from './sale-types.ts';

/** The lines with `line` added, and the index of the line it went to. */
export function addToLines(
  lines: readonly DraftLine[],
  line: Omit<DraftLine, 'key'>,
  newKey: () => string,
): { lines: DraftLine[]; index: number } {
  const same =
    line.price === undefined
      ? lines.findIndex((l) => l.productId === line.productId && l.price === undefined)
      : -1;
  if (same < 0) return { lines: [...lines, { ...line, key: newKey() }], index: lines.length };
  return {
    lines: lines.map((l, i) => (i === same ? { ...l, quantity: l.quantity + line.quantity } : l)),
    index: same,
  };
}
