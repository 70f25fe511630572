// Generates a benchmark merchant of any size inside PostgreSQL itself: buyers, cards, receipts
// and opening balances come from generate_series and hash-based pseudo-random functions, so no
// row crosses the network (as fast as COPY, without a COPY client). Everything is one
// transaction: a failure leaves nothing behind.
//
//   npx tsx scripts/generate-bench-data.ts --buyers 1000000 --receipts 10000000 [--database-url URL]
//
// The database must be migrated (start the server on it once). Without --database-url or
// DATABASE_URL the script connects to the embedded PostgreSQL of a running `npm start`: it
// listens on 127.0.0.1:54329 (EMBEDDED_PG_PORT) and keeps its password in .data/postgres.password,
// so the URL is postgres://postgres:$(cat .data/postgres.password)@127.0.0.1:54329/loyalty.
//
// The data is consistent the way the server keeps it: each buyer's purchases_count,
// purchases_total, last_purchase_at, last_store_id and card type follow from their receipts,
// and balance = sum(ledger entries) = sum(lot remainders) (one opening-balance lot and entry per
// buyer with points). Receipts carry totals but no lines and an empty calculation: they serve
// reads, searches and reports, not returns. The script prints an API key for the merchant.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prepareRules } from '@loyalty/core/rules/prepared-rules';
import type { RulesSnapshotInput } from '@loyalty/core/rules/snapshot.schema';
import { programmeSettingsSchema } from '@loyalty/protocol/api/programme.schema';

const STORES = 20;
const PRODUCTS = 10_000;
const SILVER_THRESHOLD = 5_000_000;
const ANONYMOUS_SHARE = 0.1;
/** Buyers per statement: small enough to print progress, large enough to keep statements few. */
const CHUNK = 100_000;

/** Whitespace-separated words, so the lists below stay short lines. */
const words = (text: string): string[] => text.trim().split(/\s+/);
const FEMALE = words('Анна Мария Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Юлия');
const MALE = words('Александр Сергей Дмитрий Андрей Алексей Иван Максим Михаил Евгений Павел');
const SURNAMES = words(`
  Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов
  Новиков Фёдоров Морозов Волков Лебедев Козлов Орлов Зайцев
`);
// Russian mobile operator codes after +79: every number built from them is a valid mobile.
const CODES = words(`
  01 03 05 06 09 10 11 12 13 14 15 16 17 18 19 20 21 25 26 29 50 51 52
  53 58 60 61 62 63 64 65 77 78 80 81 82 83 85 86 87 88 91 93 95 96 99
`);

function options() {
  const { values } = parseArgs({
    options: {
      buyers: { type: 'string', default: '1000000' },
      receipts: { type: 'string', default: '10000000' },
      'database-url': { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const buyers = Number(values.buyers);
  const receipts = Number(values.receipts);
  const seed = Number(values.seed);
  if (![buyers, receipts, seed].every((n) => Number.isSafeInteger(n) && n >= 0) || buyers < 1)
    throw new Error('--buyers, --receipts and --seed take whole numbers (at least one buyer)');
  return { buyers, receipts, seed, url: values['database-url'] ?? process.env.DATABASE_URL ?? embeddedUrl() };
}

/** The URL of `npm start`'s embedded PostgreSQL, when its data folder is here. */
function embeddedUrl(): string {
  const file = new URL('../.data/postgres.password', import.meta.url);
  if (!existsSync(file))
    throw new Error(
      'No --database-url, no DATABASE_URL and no .data/postgres.password: run `npm start` once first',
    );
  const password = readFileSync(file, 'utf8').trim();
  const port = process.env.EMBEDDED_PG_PORT ?? '54329';
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/loyalty`;
}

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;
const sqlArray = (values: readonly string[]) => `ARRAY[${values.map(sqlText).join(',')}]`;

/** The session-local functions every generated value comes from (dropped with the session). */
function functionsSql(tag: string, seed: number, buyers: number, identified: number, storeIds: string[]) {
  const avg = identified / buyers;
  return `
    -- Plain SQL functions, so the planner inlines them into each statement. They are STABLE, not
    -- IMMUTABLE: timestamp arithmetic depends on the time zone, and a function declared stricter
    -- than its body is not inlined but called row by row, dozens of times slower.
    -- A uniform number in (0, 1) per argument; the seed shifts every stream.
    CREATE FUNCTION pg_temp.rnd(n bigint) RETURNS double precision LANGUAGE sql STABLE AS
      $$ SELECT (hashint8(n + ${seed}::bigint * 1000000007)::float8 + 2147483648.5::float8) / 4294967296.0::float8 $$;
    -- Ids whose last 12 hex digits count up, so every primary key is appended to, never split.
    CREATE FUNCTION pg_temp.uid(kind int, n bigint) RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT ('${tag}-' || lpad(to_hex(kind), 4, '0') || '-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
    CREATE FUNCTION pg_temp.registered(i bigint) RETURNS timestamptz LANGUAGE sql STABLE AS
      $$ SELECT pg_temp.bench_now() - interval '1095 days' * pg_temp.rnd(i * 16 + 1) $$;
    -- Purchases per buyer: exponential, so a few buy very often, and in proportion to how long
    -- they have been members (rnd(i * 16 + 1) is the membership's share of three years).
    CREATE FUNCTION pg_temp.visits(i bigint) RETURNS int LANGUAGE sql STABLE AS
      $$ SELECT least(1000, floor(-ln(pg_temp.rnd(i * 16 + 2)) * ${2 * avg} * pg_temp.rnd(i * 16 + 1)))::int $$;
    CREATE FUNCTION pg_temp.home(i bigint) RETURNS int LANGUAGE sql STABLE AS
      $$ SELECT floor(pg_temp.rnd(i * 16 + 3) * ${storeIds.length})::int $$;
    CREATE FUNCTION pg_temp.store_id(n int) RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT (${sqlArray(storeIds)}::uuid[])[n + 1] $$;
    -- Receipt k of buyer i: times in order within the buyer's life, 85 % at the home store.
    CREATE FUNCTION pg_temp.at(i bigint, k int) RETURNS timestamptz LANGUAGE sql STABLE AS
      $$ SELECT pg_temp.registered(i) + (pg_temp.bench_now() - pg_temp.registered(i))
           * ((k - 1 + pg_temp.rnd((i * 1024 + k) * 16 + 4)) / pg_temp.visits(i)) $$;
    CREATE FUNCTION pg_temp.store(i bigint, k int) RETURNS int LANGUAGE sql STABLE AS
      $$ SELECT CASE WHEN pg_temp.rnd((i * 1024 + k) * 16 + 5) < 0.85 THEN pg_temp.home(i)
           ELSE floor(pg_temp.rnd((i * 1024 + k) * 16 + 6) * ${storeIds.length})::int END $$;
    CREATE FUNCTION pg_temp.amount(i bigint, k int) RETURNS bigint LANGUAGE sql STABLE AS
      $$ SELECT (9900 + floor(pg_temp.rnd((i * 1024 + k) * 16 + 7) ^ 2 * 400000))::bigint $$;
    -- Twelve digits and their EAN-13 check digit (weights 1 and 3 from the left).
    CREATE FUNCTION pg_temp.ean13(body text) RETURNS text LANGUAGE sql STABLE AS
      $$ SELECT body || ((10 - (SELECT sum(substr(body, p, 1)::int * CASE WHEN p % 2 = 0 THEN 3 ELSE 1 END)
           FROM generate_series(1, 12) p) % 10) % 10)::text $$;
    CREATE FUNCTION pg_temp.discount(i bigint, k int) RETURNS bigint LANGUAGE sql STABLE AS
      $$ SELECT CASE WHEN pg_temp.rnd((i * 1024 + k) * 16 + 8) < 0.2 THEN pg_temp.amount(i, k) / 20 ELSE 0 END $$;
  `;
}

async function main(): Promise<void> {
  const { buyers, receipts, seed, url } = options();
  const started = Date.now();
  const step = (what: string, since: number) =>
    console.log(
      `${what} (${((Date.now() - since) / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const migrated = await client.query<{ ok: boolean }>(`SELECT to_regclass('receipts') IS NOT NULL AS ok`);
  if (!migrated.rows[0]?.ok) throw new Error('The database is not migrated: start the server on it once');

  const identified = Math.round(receipts * (1 - ANONYMOUS_SHARE));
  try {
    await client.query('BEGIN');
    const merchantId = (
      await client.query<{ id: string }>(`INSERT INTO merchants (name) VALUES ($1) RETURNING id`, [
        `Бенчмарк: ${buyers.toLocaleString('ru-RU')} покупателей, ${receipts.toLocaleString('ru-RU')} чеков`,
      ])
    ).rows[0]?.id;
    if (!merchantId) throw new Error('merchant insert returned no id');
    console.log(`Benchmark merchant ${merchantId}: ${buyers} buyers, ${receipts} receipts`);
    await client.query(
      `CREATE FUNCTION pg_temp.bench_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT '${new Date().toISOString()}'::timestamptz $$`,
    );
    // Foreign keys are checked set-wise at the end when the connection may skip row triggers.
    const superuser = (
      await client.query<{ on: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS on`)
    ).rows[0]?.on;
    if (superuser) await client.query('SET LOCAL session_replication_role = replica');

    let t = Date.now();
    const storeIds = (
      await client.query<{ id: string }>(
        `INSERT INTO stores (merchant_id, name, address, attributes)
         SELECT $1, 'Магазин №' || n, 'Город ' || (n % 5 + 1) || ', улица ' || n,
           jsonb_build_object('format', (ARRAY['hyper','supermarket','convenience'])[n % 3 + 1],
             'cluster', 'Кластер ' || (n % 4 + 1), 'city', (ARRAY['Москва','Казань','Санкт-Петербург','Екатеринбург','Новосибирск'])[n % 5 + 1])
         FROM generate_series(1, ${STORES}) n ORDER BY n RETURNING id`,
        [merchantId],
      )
    ).rows.map((r) => r.id);
    await client.query(functionsSql(merchantId.slice(0, 8), seed, buyers, identified, storeIds));
    const [standardId, silverId] = await writeProgramme(client, merchantId);
    await client.query(
      `WITH roots AS (
         INSERT INTO categories (merchant_id, name, position)
         SELECT $1, 'Раздел ' || n, n FROM generate_series(1, 10) n RETURNING id, position)
       INSERT INTO categories (merchant_id, parent_id, name, position)
       SELECT $1, r.id, 'Раздел ' || r.position || '.' || n, n FROM roots r, generate_series(1, 10) n`,
      [merchantId],
    );
    await client.query(
      `INSERT INTO products (merchant_id, category_id, sku, name, price, barcodes)
       SELECT $1, c.ids[n % array_length(c.ids, 1) + 1], 'B-' || lpad(n::text, 6, '0'), 'Товар ' || n,
         (4900 + (n * 7919) % 200000)::bigint, ARRAY[pg_temp.ean13('20' || lpad(n::text, 10, '0'))]
       FROM generate_series(1, ${PRODUCTS}) n,
         (SELECT array_agg(id ORDER BY id) AS ids FROM categories WHERE merchant_id = $1 AND parent_id IS NOT NULL) c`,
      [merchantId],
    );
    step(`stores, programme, ${PRODUCTS} products`, t);

    t = Date.now();
    for (let lo = 1; lo <= buyers; lo += CHUNK) {
      const hi = Math.min(buyers, lo + CHUNK - 1);
      await client.query(buyersSql(merchantId, standardId, silverId, lo, hi));
      step(`buyers ${hi}/${buyers}`, t);
    }

    t = Date.now();
    await client.query(
      `INSERT INTO card_series (merchant_id, name, prefix, number_from, number_to, kind)
       VALUES ($1, 'Карты бенчмарка', '99', 1, $2, 'personal')`,
      [merchantId, buyers],
    );
    await client.query(
      `INSERT INTO cards (id, merchant_id, series_id, number, buyer_id, status, activated_at)
       SELECT pg_temp.uid(4, i), $1, s.id, '99' || lpad(i::text, ${String(buyers).length}, '0'),
         CASE WHEN pg_temp.rnd(i * 16 + 11) < 0.6 THEN pg_temp.uid(1, i) END,
         CASE WHEN pg_temp.rnd(i * 16 + 11) < 0.6 THEN 'active' ELSE 'issued' END,
         CASE WHEN pg_temp.rnd(i * 16 + 11) < 0.6 THEN pg_temp.registered(i) END
       FROM generate_series(1, ${buyers}) i, (SELECT id FROM card_series WHERE merchant_id = $1) s`,
      [merchantId],
    );
    step(`cards ${buyers}`, t);

    t = Date.now();
    await client.query(`CREATE TEMP SEQUENCE bench_receipt_number`);
    let written = 0;
    for (let lo = 1; lo <= buyers; lo += CHUNK) {
      const hi = Math.min(buyers, lo + CHUNK - 1);
      const result = await client.query(receiptsSql(merchantId, lo, hi));
      written += result.rowCount ?? 0;
      step(`receipts of buyers ${hi}/${buyers}: ${written}`, t);
    }
    // Anonymous receipts fill the count asked for, spread over the last three years.
    for (let left = receipts - written; left > 0; left -= 1_000_000) {
      const result = await client.query(anonymousSql(merchantId, Math.min(left, 1_000_000), storeIds.length));
      written += result.rowCount ?? 0;
      step(`anonymous receipts: ${written}/${receipts}`, t);
    }

    t = Date.now();
    await client.query(
      `INSERT INTO point_lots (id, merchant_id, buyer_id, source, initial, remaining, activates_at, expires_at)
       SELECT pg_temp.uid(3, row_number() OVER (ORDER BY b.id)), $1, b.id, 'opening_balance', b.balance, b.balance,
         b.registered_at, NULL
       FROM buyers b WHERE b.merchant_id = $1 AND b.balance > 0`,
      [merchantId],
    );
    await client.query(
      `INSERT INTO ledger_entries (merchant_id, buyer_id, operation_id, kind, points, lot_id, reason, actor_type, created_at)
       SELECT $1, l.buyer_id, l.id, 'opening_balance', l.initial, l.id, 'Начальный баланс (данные для бенчмарка)',
         'system', l.activates_at
       FROM point_lots l WHERE l.merchant_id = $1 ORDER BY l.id`,
      [merchantId],
    );
    step('opening balances', t);

    // Statistics now, inside the transaction: the checks below and the first queries after the
    // commit are planned on the new sizes.
    t = Date.now();
    await client.query(
      'ANALYZE merchants, stores, categories, products, buyers, cards, receipts, point_lots, ledger_entries',
    );
    step('analyzed', t);
    if (superuser) {
      t = Date.now();
      await checkReferences(client, merchantId);
      await client.query('SET LOCAL session_replication_role = origin');
      step('foreign keys checked', t);
    }
    const apiKey = await createApiKey(client, merchantId);
    t = Date.now();
    await client.query('COMMIT');
    step('committed', t);
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Merchant ${merchantId}`);
    console.log(`API key (read buyers and sales, post purchases): ${apiKey}`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Card types, settings and rules: a programme the engine accepts (checked before writing). */
async function writeProgramme(client: pg.Client, merchantId: string): Promise<[string, string]> {
  const ids = (
    await client.query<{ id: string }>(
      `INSERT INTO card_types (merchant_id, name, rank, threshold, issue)
       VALUES ($1, 'Стандартная', 0, NULL, 'default'), ($1, 'Серебряная', 1, ${SILVER_THRESHOLD}, 'threshold')
       RETURNING id`,
      [merchantId],
    )
  ).rows.map((r) => r.id);
  const [standardId = '', silverId = ''] = ids;
  const rule = (percent: number) => ({
    accrual: { kind: 'percent' as const, percent },
    accrualBase: 'paid' as const,
    rounding: 'nearest_whole' as const,
    expiry: { kind: 'days' as const, days: 365 },
    activation: { kind: 'immediate' as const },
    payment: { kind: 'up_to' as const, percent: 5000, minPoints: 0 },
    discountPercent: 0,
  });
  // Parsed by the cabinet's schema, so every default is stored as the programme page saves it.
  const settings = programmeSettingsSchema.parse({ type: 'bonus', defaultCardTypeId: standardId });
  const snapshot: RulesSnapshotInput = {
    version: 'bench',
    timeZone: 'Europe/Moscow',
    programme: { type: settings.type, defaultCardTypeId: standardId },
    cardTypes: [
      { id: standardId, name: 'Стандартная', rank: 0, threshold: null, issue: 'default' },
      { id: silverId, name: 'Серебряная', rank: 1, threshold: SILVER_THRESHOLD, issue: 'threshold' },
    ],
    rules: [
      { id: 'standard', cardTypeId: standardId, categoryId: null, ...rule(200) },
      { id: 'silver', cardTypeId: silverId, categoryId: null, ...rule(500) },
    ],
  };
  const check = prepareRules(snapshot);
  if (!check.ok) throw new Error(`benchmark programme is invalid: ${JSON.stringify(check.error)}`);
  await client.query(`INSERT INTO programme_settings (merchant_id, body) VALUES ($1, $2)`, [
    merchantId,
    JSON.stringify(settings),
  ]);
  await client.query(
    `INSERT INTO programme_rules (merchant_id, card_type_id, category_id, body) VALUES ($1, $2, NULL, $3), ($1, $4, NULL, $5)`,
    [merchantId, standardId, JSON.stringify(rule(200)), silverId, JSON.stringify(rule(500))],
  );
  return [standardId, silverId];
}

/** Buyers lo..hi with the stats of the receipts receiptsSql writes for them. */
function buyersSql(merchantId: string, standardId: string, silverId: string, lo: number, hi: number): string {
  return `
    INSERT INTO buyers (id, merchant_id, phone, email, first_name, last_name, gender, birth_date,
      card_type_id, registered_at, registration_store_id, channel, purchases_count, purchases_total,
      last_purchase_at, last_store_id, balance, created_at, updated_at)
    SELECT pg_temp.uid(1, i), ${sqlText(merchantId)}::uuid,
      '+79' || (${sqlArray(CODES)})[i % ${CODES.length} + 1] || lpad((i / ${CODES.length})::text, 7, '0'),
      CASE WHEN pg_temp.rnd(i * 16 + 9) < 0.4 THEN 'buyer' || i || '@bench.local' END,
      CASE WHEN v.female THEN (${sqlArray(FEMALE)})[i % ${FEMALE.length} + 1]
        ELSE (${sqlArray(MALE)})[i % ${MALE.length} + 1] END,
      CASE WHEN v.female THEN v.surname || 'а' ELSE v.surname END,
      CASE WHEN v.female THEN 'female' ELSE 'male' END,
      (pg_temp.registered(i) - interval '18 years' - interval '50 years' * pg_temp.rnd(i * 16 + 10))::date,
      CASE WHEN coalesce(s.total, 0) >= ${SILVER_THRESHOLD} THEN ${sqlText(silverId)} ELSE ${sqlText(standardId)} END::uuid,
      pg_temp.registered(i), pg_temp.store_id(pg_temp.home(i)), 'till',
      v.visits, coalesce(s.total, 0),
      -- Receipt times grow with k, so the last receipt is the one numbered visits.
      CASE WHEN v.visits > 0 THEN pg_temp.at(i, v.visits) END,
      CASE WHEN v.visits > 0 THEN pg_temp.store_id(pg_temp.store(i, v.visits)) END,
      -- About a fifth of the two per cent they earned is still unspent.
      floor(coalesce(s.total, 0) * 0.02 * 0.2 * pg_temp.rnd(i * 16 + 12))::bigint,
      pg_temp.registered(i), pg_temp.bench_now()
    FROM generate_series(${lo}::bigint, ${hi}::bigint) i
    CROSS JOIN LATERAL (SELECT pg_temp.visits(i) AS visits, pg_temp.rnd(i * 16 + 13) < 0.62 AS female,
      (${sqlArray(SURNAMES)})[(i / 7) % ${SURNAMES.length} + 1] AS surname) v
    CROSS JOIN LATERAL (SELECT sum(pg_temp.amount(i, k) - pg_temp.discount(i, k))::bigint AS total
      FROM generate_series(1, v.visits) k) s`;
}

/** The receipts of buyers lo..hi, in buyer order, numbered by one sequence. */
function receiptsSql(merchantId: string, lo: number, hi: number): string {
  return `
    INSERT INTO receipts (id, merchant_id, idempotency_key, request_hash, number, store_id, buyer_id,
      source, amount, discount, points_paid, paid_money, accrual, calculation, response, created_at)
    SELECT pg_temp.uid(2, n), ${sqlText(merchantId)}::uuid, 'bench:' || lpad(n::text, 12, '0'), int8send(n),
      'B-' || n, pg_temp.store_id(pg_temp.store(i, k)), pg_temp.uid(1, i), 'bench',
      amount, discount, 0, amount - discount, round((amount - discount) * 0.02)::bigint, '{}', '{"buyer": null}',
      pg_temp.at(i, k)
    FROM (
      SELECT i, k, nextval('bench_receipt_number') AS n, pg_temp.amount(i, k) AS amount, pg_temp.discount(i, k) AS discount
      FROM generate_series(${lo}::bigint, ${hi}::bigint) i, generate_series(1, pg_temp.visits(i)) k
    ) r`;
}

/** `count` receipts without a buyer. */
function anonymousSql(merchantId: string, count: number, stores: number): string {
  return `
    INSERT INTO receipts (id, merchant_id, idempotency_key, request_hash, number, store_id, buyer_id,
      source, amount, discount, points_paid, paid_money, accrual, calculation, response, created_at)
    SELECT pg_temp.uid(2, n), ${sqlText(merchantId)}::uuid, 'bench:' || lpad(n::text, 12, '0'), int8send(n),
      'B-' || n, pg_temp.store_id(floor(pg_temp.rnd(-n * 16 - 1) * ${stores})::int), NULL, 'bench',
      amount, 0, 0, amount, 0, '{}', '{"buyer": null}',
      pg_temp.bench_now() - interval '1095 days' * pg_temp.rnd(-n * 16 - 2)
    FROM (
      SELECT n, (9900 + floor(pg_temp.rnd(-n * 16 - 3) ^ 2 * 300000))::bigint AS amount
      FROM (SELECT nextval('bench_receipt_number') AS n FROM generate_series(1, ${count})) s
    ) r`;
}

/** What the suspended foreign-key triggers would have checked, for this merchant's rows. */
async function checkReferences(client: pg.Client, merchantId: string): Promise<void> {
  const checks: Array<[string, string]> = [
    [
      'receipts.buyer_id',
      `SELECT count(*) FROM receipts r WHERE r.merchant_id = $1 AND r.buyer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM buyers b WHERE b.id = r.buyer_id)`,
    ],
    [
      'cards.buyer_id',
      `SELECT count(*) FROM cards c WHERE c.merchant_id = $1 AND c.buyer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM buyers b WHERE b.merchant_id = c.merchant_id AND b.id = c.buyer_id)`,
    ],
    [
      'point_lots.buyer_id',
      `SELECT count(*) FROM point_lots l WHERE l.merchant_id = $1 AND NOT EXISTS (SELECT 1 FROM buyers b WHERE b.id = l.buyer_id)`,
    ],
    [
      'ledger_entries.lot_id',
      `SELECT count(*) FROM ledger_entries e WHERE e.merchant_id = $1 AND NOT EXISTS (SELECT 1 FROM point_lots l WHERE l.id = e.lot_id)`,
    ],
    [
      'products.category_id',
      `SELECT count(*) FROM products p WHERE p.merchant_id = $1 AND NOT EXISTS (SELECT 1 FROM categories c WHERE c.merchant_id = p.merchant_id AND c.id = p.category_id)`,
    ],
  ];
  for (const [name, query] of checks) {
    const broken = Number((await client.query<{ count: string }>(query, [merchantId])).rows[0]?.count ?? 0);
    if (broken > 0) throw new Error(`generated data breaks ${name}: ${broken} rows`);
  }
}

/** An API key with the read scopes and purchases, as the cabinet issues them (lk_<id>_<secret>). */
async function createApiKey(client: pg.Client, merchantId: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  const id = (
    await client.query<{ id: string }>(
      `INSERT INTO api_keys (merchant_id, name, secret_hash, scopes) VALUES ($1, 'Бенчмарк', $2, $3) RETURNING id`,
      [
        merchantId,
        createHash('sha256').update(secret).digest(),
        ['settings:read', 'buyers:read', 'buyers:write', 'sales:read', 'sales:write', 'reports:read'],
      ],
    )
  ).rows[0]?.id;
  if (!id) throw new Error('api key insert returned no id');
  return `lk_${id.replaceAll('-', '')}_${secret}`;
}

await main();
