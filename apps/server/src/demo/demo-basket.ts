// What goes into a demo basket: a number of lines around the store's typical basket, products
// drawn by popularity (no product twice), pieces mostly one at a time, goods sold by weight in
// grams, and snacks often in threes when "3 for 2" is on.
import type { DemoProduct } from './demo-catalogue.ts';
import { WeightedPicker, type SeededRandom } from './seeded-random.ts';

/** A receipt line as a till sends it to the engine. */
export type BasketLine = {
  productId: string;
  categoryId: string;
  /** Thousandths of a unit: 1000 is one piece, 1250 is 1.25 kg. */
  quantity: number;
  /** Kopecks per unit. */
  price: number;
  noDiscount: boolean;
};

/** A basket generator over the catalogue; call it with the store's typical number of lines. */
export function basketMaker(
  random: SeededRandom,
  products: readonly DemoProduct[],
  snackProductIds: readonly string[],
): (typicalLines: number) => BasketLine[] {
  const picker = new WeightedPicker(products.map((p) => p.popularity));
  const snacks = new Set(snackProductIds);
  return (typicalLines) => {
    const count = Math.min(40, Math.max(1, Math.round(typicalLines * Math.exp(0.5 * random.normal()))));
    const seen = new Set<number>();
    const lines: BasketLine[] = [];
    for (let tries = 0; lines.length < count && tries < count * 4; tries++) {
      const index = picker.pick(random);
      const product = products[index];
      if (!product || seen.has(index)) continue;
      seen.add(index);
      let quantity: number;
      // Weighed goods: 250 g to 2 kg, to the 5 g a scale prints.
      if (product.unit === 'kg') quantity = Math.round((0.25 + random.next() * 1.75) * 200) * 5;
      else if (snacks.has(product.id) && random.chance(0.3)) quantity = 3000;
      else {
        const roll = random.next();
        quantity = (roll < 0.75 ? 1 : roll < 0.92 ? 2 : roll < 0.97 ? 3 : random.int(4, 6)) * 1000;
      }
      lines.push({
        productId: product.id,
        categoryId: product.categoryId,
        quantity,
        price: product.price,
        noDiscount: product.noDiscount,
      });
    }
    return lines;
  };
}
