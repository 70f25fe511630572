// A terminal core over a temporary folder with caches filled as a pull would fill them, for tests
// on real SQLite without a server. The server URL points at a closed port, so every call to the
// server fails fast as "unreachable" (the offline case).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { standardSnapshot } from '@loyalty/core/testing/rules-fixtures';
import {
  DEFAULT_SYNC_QUESTIONNAIRE,
  type BuyerItem,
  type CashierItem,
  type ProductItem,
  type PullResponse,
  type SettingsItem,
  type SyncOfflineLimits,
} from '@loyalty/protocol/sync/pull.schema';
import { applyPage } from '#core/sync/apply-page.ts';
import { markSynced, savePairing } from '#core/store/identity.repository.ts';
import { createTerminalCore, type TerminalCore } from '#core/terminal-core.ts';

export const MERCHANT_ID = '0195a000-0000-7000-8000-000000000001';
export const STORE_ID = '0195a000-0000-7000-8000-000000000002';
export const TERMINAL_ID = '0195a000-0000-7000-8000-000000000003';
export const CATEGORY_FOOD = '0195a000-0000-7000-8000-0000000000f1';
export const CASHIER_ID = '0195a000-0000-7000-8000-0000000000c1';
export const CASHIER_CODE = '246810';
/** A senior cashier of the same store: returns need one (A7). */
export const SENIOR_ID = '0195a000-0000-7000-8000-0000000000c2';
export const SENIOR_CODE = '975310';
export const BUYER_ID = '0195a000-0000-7000-8000-0000000000b1';
export const BUYER_PHONE = '+79123456789';
export const BUYER_CARD = '7000123456';
export const MILK_ID = '0195a000-0000-7000-8000-0000000000a1';
export const BREAD_ID = '0195a000-0000-7000-8000-0000000000a2';
export const MILK_BARCODE = '4601234567893';
/** 2026-01-15 12:00 Moscow time. */
export const T0 = Date.UTC(2026, 0, 15, 9, 0);
/** A closed port: the server is "unreachable" at once. */
export const DEAD_SERVER = 'http://127.0.0.1:9';

export const defaultLimits: SyncOfflineLimits = {
  maxSnapshotAgeHours: 24,
  maxOfflineHours: 72,
  maxPointsPerReceipt: null,
  maxPointsPerBuyerPerDay: null,
  maxPointsPerTerminalSinceSync: null,
  maxClockSkewMinutes: 5,
};

export const settingsItem = (limits: SyncOfflineLimits = defaultLimits): SettingsItem => ({
  id: MERCHANT_ID,
  merchant: { name: 'Ромашка', timeZone: 'Europe/Moscow', currency: 'RUB' },
  store: {
    id: STORE_ID,
    name: 'Ромашка на Ленина',
    address: 'ул. Ленина, 1',
    city: 'Москва',
    format: null,
    cluster: null,
  },
  offlineLimits: limits,
  qrPublicKey: null,
  questionnaire: DEFAULT_SYNC_QUESTIONNAIRE,
});

export const product = (id: string, name: string, price: number, barcodes: string[] = []): ProductItem => ({
  id,
  sku: name.slice(0, 3).toUpperCase() + id.slice(-2),
  name,
  barcodes,
  categoryId: CATEGORY_FOOD,
  price,
  unit: 'piece',
  minPrice: 0,
  noDiscount: false,
  noAccrual: false,
  noPointsPayment: false,
});

/** A buyer with one active lot of `balance` hundredths. */
export const buyer = (balance: number, overrides: Partial<BuyerItem> = {}): BuyerItem => ({
  id: BUYER_ID,
  phone: BUYER_PHONE,
  firstName: 'Анна',
  lastName: 'Петрова',
  cardNumbers: [BUYER_CARD],
  cardTypeId: 'standard',
  registeredAt: T0 - 30 * 86_400_000,
  birthDate: null,
  gender: null,
  email: null,
  consentPending: false,
  referrerId: null,
  tags: [],
  favouriteCategoryIds: [],
  purchasesCount: 3,
  purchasesTotal: 300_00,
  lastPurchaseAt: null,
  balance,
  debt: 0,
  lots:
    balance > 0
      ? [{ id: '0195a000-0000-7000-8000-0000000000d1', remaining: balance, activatesAt: 0, expiresAt: null }]
      : [],
  ...overrides,
});

let cashierHash: Promise<string> | undefined;
let seniorHash: Promise<string> | undefined;

/** A page of one stream as the server would send it. */
export function page<S extends PullResponse['stream']>(
  stream: S,
  items: Extract<PullResponse, { stream: S }>['items'],
  serverTime: number,
  appliedSeq = 0,
): PullResponse {
  return {
    stream,
    items,
    deleted: [],
    cursor: `${stream}-1`,
    hasMore: false,
    serverTime,
    appliedSeq,
  } as PullResponse;
}

/** A controllable device clock. */
export type FakeClock = { now: number; advance(ms: number): void };

/** A test terminal: paired (to a dead server), synced at T0, one cashier, two products, one buyer. */
export type TestTerminal = TerminalCore & { dir: string; clock: FakeClock; cleanup(): Promise<void> };

/** Fills the caches of `core` as a first sync at `at` would. */
export async function seedCaches(
  core: TerminalCore,
  at: number,
  options: { limits?: SyncOfflineLimits; buyers?: BuyerItem[]; cashiers?: CashierItem[] } = {},
): Promise<void> {
  const db = core.ctx.db;
  cashierHash ??= hash(CASHIER_CODE, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  seniorHash ??= hash(SENIOR_CODE, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  savePairing(db, {
    terminalId: TERMINAL_ID,
    merchantId: MERCHANT_ID,
    storeId: STORE_ID,
    token: 'tt_test',
    serverUrl: DEAD_SERVER,
    deviceName: 'test',
    pairedAt: at,
  });
  applyPage(db, page('settings', [settingsItem(options.limits)], at), at);
  const snapshot = standardSnapshot({
    version: 'rules-1',
    categories: [{ id: CATEGORY_FOOD, parentId: null }],
    stores: [{ id: STORE_ID, attributes: { city: 'Москва' } }],
  });
  applyPage(db, page('rules', [{ id: 'rules', version: 'rules-1', snapshot }], at), at);
  applyPage(
    db,
    page(
      'cashiers',
      options.cashiers ?? [
        {
          id: CASHIER_ID,
          name: 'Иванова М.',
          role: 'cashier',
          storeIds: [STORE_ID],
          codeHash: await cashierHash,
        },
        {
          id: SENIOR_ID,
          name: 'Смирнов А. (старший)',
          role: 'senior',
          storeIds: [STORE_ID],
          codeHash: await seniorHash,
        },
      ],
      at,
    ),
    at,
  );
  applyPage(
    db,
    page(
      'products',
      [
        product(MILK_ID, 'Молоко 3,2% 1 л', 89_90, [MILK_BARCODE]),
        product(BREAD_ID, 'Хлеб Бородинский', 45_00),
      ],
      at,
    ),
    at,
  );
  applyPage(db, page('buyers', options.buyers ?? [buyer(500_00)], at), at);
  markSynced(db, at);
}

/** Opens a core in a new temporary folder at device time T0. */
export function openTerminal(dir?: string, clock?: FakeClock): TestTerminal {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'pos-test-'));
  const fake: FakeClock = clock ?? {
    now: T0,
    advance(ms) {
      this.now += ms;
    },
  };
  const core = createTerminalCore({ dataDir: folder, deviceNow: () => fake.now, autoSync: false });
  return {
    ...core,
    dir: folder,
    clock: fake,
    cleanup: async () => {
      await core.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A seeded terminal with the cashier logged in. */
export async function readyTerminal(options: Parameters<typeof seedCaches>[2] = {}): Promise<TestTerminal> {
  const terminal = openTerminal();
  await seedCaches(terminal, T0, options);
  const login = await terminal.handlers['cashier.login']({ code: CASHIER_CODE });
  if (!login.ok) throw new Error(`login failed: ${login.error.message}`);
  return terminal;
}
