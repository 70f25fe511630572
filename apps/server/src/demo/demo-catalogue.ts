// The demo category tree and products: names from catalogue-data.ts, shelf prices ending in 90
// or 99 kopecks, valid EAN-13 barcodes (Russian 46x prefix for packaged goods, in-store 22 +
// PLU codes for goods sold by weight), and a popularity per product that baskets draw from.
import {
  ALCOHOL_ROOT,
  CATALOGUE,
  COUPON_LEAVES,
  DAIRY_ROOT,
  HOUSEHOLD_ROOT,
  SNACKS_LEAF,
  type LeafSpec,
} from './catalogue-data.ts';
import { ean13 } from './ean13.ts';
import type { SeededRandom } from './seeded-random.ts';

/** A category row as written. */
export type DemoCategory = { id: string; parentId: string | null; name: string; position: number };

/** A product row as written, plus what baskets need. */
export type DemoProduct = {
  id: string;
  categoryId: string;
  sku: string;
  name: string;
  /** Kopecks per piece, or per kilogram for goods sold by weight. */
  price: number;
  barcode: string;
  unit: 'piece' | 'kg';
  noDiscount: boolean;
  /** Relative chance of landing in a basket. */
  popularity: number;
};

/** The generated catalogue and the ids the programme refers to. */
export type DemoCatalogue = {
  categories: DemoCategory[];
  products: DemoProduct[];
  alcoholCategoryId: string;
  dairyCategoryId: string;
  householdCategoryId: string;
  couponCategoryIds: string[];
  snackProductIds: string[];
};

const split = (text: string): string[] => (text === '' ? [''] : text.split('|'));

function shelfPrice(random: SeededRandom, [from, to]: readonly [number, number]): number {
  // Log-uniform: cheap packs are more common than dear ones within a range.
  const roubles = Math.floor(Math.exp(Math.log(from) + random.next() * (Math.log(to) - Math.log(from))));
  return roubles * 100 + random.pick([99, 99, 90, 49]);
}

function productName(item: string, brand: string, size: string): string {
  return size ? `${item} ${brand}, ${size}` : `${item} ${brand}`;
}

/** Builds about `productCount` products spread over every leaf of the tree. */
export function generateCatalogue(random: SeededRandom, productCount: number): DemoCatalogue {
  const categories: DemoCategory[] = [];
  const leaves: Array<{ spec: LeafSpec; id: string; root: string }> = [];
  CATALOGUE.forEach((root, rootIndex) => {
    const rootId = random.uuid();
    categories.push({ id: rootId, parentId: null, name: root.name, position: rootIndex });
    root.leaves.forEach((leaf, leafIndex) => {
      const id = random.uuid();
      categories.push({ id, parentId: rootId, name: leaf.name, position: leafIndex });
      leaves.push({ spec: leaf, id, root: root.name });
    });
  });

  // Every combination a leaf can make, shuffled by the seed: which ones this shop stocks.
  const stock = leaves.map((leaf) => {
    const combos: Array<[string, string, string]> = [];
    for (const item of split(leaf.spec.items))
      for (const brand of split(leaf.spec.brands))
        for (const size of split(leaf.spec.sizes)) combos.push([item, brand, size]);
    for (let i = combos.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      const a = combos[i];
      const b = combos[j];
      if (a && b) [combos[i], combos[j]] = [b, a];
    }
    return combos;
  });
  // An even share per leaf; what a small leaf cannot fill goes to the leaves that can.
  const quotas = stock.map(() => 0);
  for (let left = productCount, progress = true; left > 0 && progress;) {
    progress = false;
    for (let i = 0; i < stock.length && left > 0; i++)
      if ((quotas[i] ?? 0) < (stock[i]?.length ?? 0)) {
        quotas[i] = (quotas[i] ?? 0) + 1;
        left--;
        progress = true;
      }
  }

  const products: DemoProduct[] = [];
  const barcodes = new Set<string>();
  let plu = 0;
  leaves.forEach((leaf, leafIndex) => {
    const combos = stock[leafIndex] ?? [];
    const quota = quotas[leafIndex] ?? 0;
    const byWeight = leaf.spec.unit === 'kg';
    combos.slice(0, quota).forEach(([item, brand, size], rank) => {
      let barcode: string;
      if (byWeight) barcode = ean13(`22${String(++plu).padStart(5, '0')}00000`);
      else
        do barcode = ean13(`46${random.digits(10)}`);
        while (barcodes.has(barcode));
      barcodes.add(barcode);
      products.push({
        id: random.uuid(),
        categoryId: leaf.id,
        sku: `RM-${String(products.length + 1).padStart(5, '0')}`,
        name: productName(item, brand, size),
        price: shelfPrice(random, leaf.spec.price),
        barcode,
        unit: byWeight ? 'kg' : 'piece',
        noDiscount: leaf.root === ALCOHOL_ROOT,
        // Zipf-like within a leaf: a few bestsellers, a long tail.
        popularity: leaf.spec.popularity / Math.pow(rank + 1, 0.8),
      });
    });
  });

  const rootId = (name: string) => categories.find((c) => c.parentId === null && c.name === name)?.id ?? '';
  const snacksId = categories.find((c) => c.name === SNACKS_LEAF)?.id;
  return {
    categories,
    products,
    alcoholCategoryId: rootId(ALCOHOL_ROOT),
    dairyCategoryId: rootId(DAIRY_ROOT),
    householdCategoryId: rootId(HOUSEHOLD_ROOT),
    couponCategoryIds: categories
      .filter((c) => c.parentId !== null && COUPON_LEAVES.includes(c.name))
      .map((c) => c.id),
    snackProductIds: products.filter((p) => p.categoryId === snacksId).map((p) => p.id),
  };
}
