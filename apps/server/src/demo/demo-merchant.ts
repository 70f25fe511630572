// Generates the whole demo merchant inside the caller's transaction: staff, stores, catalogue,
// programme, buyers and a year of receipts. Everything random comes from one seeded generator,
// so the same seed and `now` give the same merchant.
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import { prepareRules } from '@loyalty/core/rules/prepared-rules';
import { hashSecret } from '#auth/secrets.ts';
import { accessCodeLookup } from '#cashiers/access-code.ts';
import type { Database } from '#db/database-schema.ts';
import { loadSnapshot } from '#programme/rules-snapshot.ts';
import { BulkWriter, pgArrayLiteral } from './bulk-insert.ts';
import { checkForeignKeys, suspendRowTriggers } from './bulk-load.ts';
import { assignCards, generateBuyers, writeBuyers } from './demo-buyers.ts';
import { generateCatalogue } from './demo-catalogue.ts';
import { writeDemoProgramme } from './demo-programme.ts';
import { replayReceipts, type ReceiptReplaySummary } from './demo-receipts.ts';
import { DEMO_CASHIERS, DEMO_MERCHANT_NAME, DEMO_STORES, DEMO_USERS } from './demo-staff.ts';
import { SeededRandom } from './seeded-random.ts';

const DAY = 86_400_000;

/** How much to generate. */
export type DemoSizes = { buyers: number; receipts: number; products: number; uniqueCoupons: number };

/** The sizes `npm start` seeds. */
export const DEMO_SIZES: DemoSizes = {
  buyers: 10_000,
  receipts: 100_000,
  products: 1_000,
  uniqueCoupons: 1_000,
};

/** What was generated, for the log. */
export type DemoSummary = ReceiptReplaySummary & {
  merchantId: string;
  buyers: number;
  products: number;
  categories: number;
  ms: number;
};

type Trx = Transaction<Database>;

/** Writes the demo merchant; throws (rolling the caller's transaction back) on any failure. */
export async function generateDemoMerchant(
  trx: Trx,
  logger: Logger,
  options: { sizes: DemoSizes; now: Date; seed: number },
): Promise<DemoSummary> {
  const started = Date.now();
  const { sizes, seed } = options;
  const now = options.now.getTime();
  const random = new SeededRandom(seed);
  // The shop opened before its oldest buyer registered (two years back).
  const opened = new Date(now - 760 * DAY);

  // argon2 runs on libuv's thread pool: the secrets hash while the catalogue is generated.
  const hashing = Promise.all([
    Promise.all(DEMO_USERS.map((u) => hashSecret(u.password))),
    Promise.all(DEMO_CASHIERS.map((c) => hashSecret(c.code))),
  ]);
  // Awaited below; a failure before that must not surface as an unhandled rejection.
  hashing.catch(() => undefined);
  const merchantId = random.uuid();
  const triggersSuspended = await suspendRowTriggers(trx);
  await trx
    .insertInto('merchants')
    .values({ id: merchantId, name: DEMO_MERCHANT_NAME, time_zone: 'Europe/Moscow', created_at: opened })
    .execute();
  const storeIds = DEMO_STORES.map(() => random.uuid());
  await trx
    .insertInto('stores')
    .values(
      DEMO_STORES.map((s, i) => ({
        id: storeIds[i] ?? '',
        merchant_id: merchantId,
        name: s.name,
        address: s.address,
        attributes: JSON.stringify(s.attributes),
        created_at: opened,
      })),
    )
    .execute();
  const storeIdOf = (key: string) => storeIds[DEMO_STORES.findIndex((s) => s.key === key)] ?? '';
  const cashierIds = DEMO_CASHIERS.map(() => random.uuid());
  const writer = new BulkWriter(trx);
  const catalogue = generateCatalogue(random, sizes.products);
  const categories = writer.table('categories', [
    { name: 'id', type: 'uuid' },
    { name: 'merchant_id', type: 'uuid' },
    { name: 'parent_id', type: 'uuid' },
    { name: 'name', type: 'text' },
    { name: 'position', type: 'int' },
  ]);
  for (const c of catalogue.categories) categories.add(c.id, merchantId, c.parentId, c.name, c.position);
  await categories.flush();
  const products = writer.table('products', [
    { name: 'id', type: 'uuid' },
    { name: 'merchant_id', type: 'uuid' },
    { name: 'category_id', type: 'uuid' },
    { name: 'sku', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'price', type: 'bigint' },
    { name: 'barcodes', type: 'text[]' },
    { name: 'no_discount', type: 'boolean' },
    { name: 'unit', type: 'text' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
  ]);
  for (const p of catalogue.products)
    products.add(
      p.id,
      merchantId,
      p.categoryId,
      p.sku,
      p.name,
      p.price,
      pgArrayLiteral([p.barcode]),
      p.noDiscount,
      p.unit,
      opened.toISOString(),
      opened.toISOString(),
    );
  await products.flush();

  const programme = await writeDemoProgramme(
    trx,
    random,
    merchantId,
    catalogue,
    new Date(now - 366 * DAY),
    sizes.uniqueCoupons,
  );

  const storeRefs = DEMO_STORES.map((s, i) => ({
    id: storeIds[i] ?? '',
    traffic: s.traffic,
    cashierIds: DEMO_CASHIERS.flatMap((c, k) => (c.storeKey === s.key ? [cashierIds[k] ?? ''] : [])),
  }));
  const leafIds = catalogue.categories.filter((c) => c.parentId !== null).map((c) => c.id);
  const buyers = generateBuyers(random, sizes.buyers, now, storeRefs, leafIds);
  const [userHashes, cashierHashes] = await hashing;
  await trx
    .insertInto('users')
    .values(
      DEMO_USERS.map((u, i) => ({
        id: random.uuid(),
        merchant_id: merchantId,
        email: u.email,
        name: u.name,
        role: u.role,
        password_hash: userHashes[i] ?? '',
        created_at: opened,
      })),
    )
    .execute();
  await trx
    .insertInto('cashiers')
    .values(
      DEMO_CASHIERS.map((c, i) => ({
        id: cashierIds[i] ?? '',
        merchant_id: merchantId,
        store_id: storeIdOf(c.storeKey),
        name: c.name,
        role: c.role,
        code_hash: cashierHashes[i] ?? '',
        code_lookup: accessCodeLookup(merchantId, c.code),
        created_at: opened,
      })),
    )
    .execute();
  await writeBuyers(trx, writer, random, buyers, {
    merchantId,
    standardCardTypeId: programme.standardId,
    cardSeriesSize: assignCards(random, buyers),
    seriesPrintedAt: new Date(now - 740 * DAY),
  });
  logger.info(
    { buyers: buyers.length, ms: Date.now() - started },
    'demo catalogue, programme and buyers written',
  );

  // Priced by the programme exactly as stored, through the same snapshot the server prices with.
  const snapshot = await loadSnapshot(trx, merchantId);
  const rules = snapshot ? prepareRules(snapshot) : null;
  if (!rules?.ok) throw new Error(`demo programme is invalid: ${JSON.stringify(rules?.error ?? null)}`);
  const summary = await replayReceipts(trx, {
    writer,
    random,
    merchantId,
    now,
    receipts: sizes.receipts,
    rules: rules.value,
    stores: DEMO_STORES.map((s, i) => ({
      id: storeIds[i] ?? '',
      traffic: s.traffic,
      basketLines: s.basketLines,
      receiptPrefix: s.receiptPrefix,
      cashierIds: storeRefs[i]?.cashierIds ?? [],
    })),
    products: catalogue.products,
    snackProductIds: catalogue.snackProductIds,
    couponCategoryIds: catalogue.couponCategoryIds,
    buyers,
    programme,
    logger,
  });
  if (triggersSuspended) await checkForeignKeys(trx);
  return {
    ...summary,
    merchantId,
    buyers: buyers.length,
    products: catalogue.products.length,
    categories: catalogue.categories.length,
    ms: Date.now() - started,
  };
}
