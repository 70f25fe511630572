// The sale screen's rule for where a product goes (the core's `sale.scan` follows the same one).
import { describe, expect, it } from 'vitest';
import { addToLines } from './draft-lines.ts';

const milk = { productId: 'milk', name: 'Молоко', quantity: 1000 };
let keys = 0;
const newKey = () => `k${++keys}`;

describe('addToLines', () => {
  it('adds a new product as a new line at the end', () => {
    const first = addToLines([], milk, newKey);
    expect(first.index).toBe(0);
    const second = addToLines(first.lines, { productId: 'bread', name: 'Хлеб', quantity: 1000 }, newKey);
    expect(second).toMatchObject({ index: 1, lines: [{ productId: 'milk' }, { productId: 'bread' }] });
  });

  it('adds the same product to its own line and keeps the line key, the other lines untouched', () => {
    const start = addToLines(addToLines([], milk, newKey).lines, { ...milk, productId: 'bread' }, newKey);
    const again = addToLines(start.lines, milk, newKey);
    expect(again.index).toBe(0);
    expect(again.lines.map((l) => l.quantity)).toEqual([2000, 1000]);
    expect(again.lines[0]?.key).toBe(start.lines[0]?.key);
    expect(again.lines[1]).toBe(start.lines[1]);
  });

  it('keeps a line with a price the cashier typed apart, and never merges two typed prices', () => {
    const typed = addToLines([], { ...milk, price: 50_00 }, newKey);
    const scanned = addToLines(typed.lines, milk, newKey);
    expect(scanned).toMatchObject({ index: 1, lines: [{ price: 50_00 }, { quantity: 1000 }] });
    const typedAgain = addToLines(scanned.lines, { ...milk, price: 50_00 }, newKey);
    expect(typedAgain.index).toBe(2);
    expect(typedAgain.lines).toHaveLength(3);
  });
});
