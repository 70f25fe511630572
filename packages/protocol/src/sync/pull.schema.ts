// Pull (B2): per stream, the changes since an opaque cursor, paged, with tombstones. Instants
// are epoch ms, money integer kopecks, points integer hundredths.
import { z } from 'zod';
import { epochMsSchema, serverTimeSchema } from '#sync/sync-common.schema.ts';

export const syncStreamSchema = z.enum(['settings', 'rules', 'cashiers', 'products', 'buyers']);
export type SyncStream = z.infer<typeof syncStreamSchema>;
/** Every stream, in the order a first sync pulls them. */
export const SYNC_STREAMS = syncStreamSchema.options;

export const pullQuerySchema = z.object({
  stream: syncStreamSchema,
  /** Opaque; left out on the first pull of a stream. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  /** Ops waiting in the terminal's outbox, shown in the cabinet. */
  pendingOps: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
});
export type PullQuery = z.input<typeof pullQuerySchema>;

/** Limits on redemption while the terminal is offline (B3, A8); null: no limit. */
export const syncOfflineLimitsSchema = z.object({
  maxSnapshotAgeHours: z.number().int(),
  maxOfflineHours: z.number().int(),
  maxPointsPerReceipt: z.number().int().nullable(),
  maxPointsPerBuyerPerDay: z.number().int().nullable(),
  maxPointsPerTerminalSinceSync: z.number().int().nullable(),
  maxClockSkewMinutes: z.number().int(),
});
export type SyncOfflineLimits = z.infer<typeof syncOfflineLimitsSchema>;

const fieldRule = z.object({ enabled: z.boolean(), required: z.boolean() });

/**
 * The merchant's questionnaire (D2) as the till renders it at registration: the standard fields'
 * switches and the enabled own fields. `requiredForCategoryIds`: the field becomes required when
 * the receipt holds a product of one of these categories (or of a subcategory of one).
 */
export const syncQuestionnaireSchema = z.object({
  standardFields: z.object({
    firstName: fieldRule,
    lastName: fieldRule,
    middleName: fieldRule,
    gender: fieldRule,
    birthDate: fieldRule,
    email: fieldRule,
  }),
  fields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      kind: z.enum(['list', 'text', 'number', 'date']),
      options: z.array(z.string()).nullable(),
      required: z.boolean(),
      requiredForCategoryIds: z.array(z.uuid()),
    }),
  ),
});
export type SyncQuestionnaire = z.infer<typeof syncQuestionnaireSchema>;

const open = { enabled: true, required: false };
/** What a till holding settings cached before the questionnaire shipped uses: every field optional. */
export const DEFAULT_SYNC_QUESTIONNAIRE: SyncQuestionnaire = {
  standardFields: {
    firstName: open,
    lastName: open,
    middleName: open,
    gender: open,
    birthDate: open,
    email: open,
  },
  fields: [],
};

/** The single item of the `settings` stream: who the terminal works for. */
export const settingsItemSchema = z.object({
  /** The merchant id. */
  id: z.uuid(),
  merchant: z.object({ name: z.string(), timeZone: z.string(), currency: z.string() }),
  store: z.object({
    id: z.uuid(),
    name: z.string(),
    address: z.string(),
    city: z.string().nullable(),
    format: z.string().nullable(),
    cluster: z.string().nullable(),
  }),
  offlineLimits: syncOfflineLimitsSchema,
  /** Ed25519 public key (base64url, raw 32 bytes) that signs buyer QR certificates; null until issued. */
  qrPublicKey: z.string().nullable(),
  /** The registration form; absent from settings cached before it shipped. */
  questionnaire: syncQuestionnaireSchema.default(DEFAULT_SYNC_QUESTIONNAIRE),
});
export type SettingsItem = z.infer<typeof settingsItemSchema>;

/** The single item of the `rules` stream: the engine snapshot the server prices with. */
export const rulesItemSchema = z.object({
  id: z.literal('rules'),
  /** The snapshot's own version string (also `calculation.rulesVersion`). */
  version: z.string(),
  /** A `RulesSnapshotInput` of `@loyalty/core/rules/snapshot.schema`; parse it with `rulesSnapshotSchema`. */
  snapshot: z.unknown(),
});
export type RulesItem = z.infer<typeof rulesItemSchema>;

export const cashierItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(['cashier', 'senior']),
  /** Stores the cashier works in; empty means every store of the merchant. */
  storeIds: z.array(z.uuid()),
  /** argon2id hash (PHC string) of the access code, so the cashier logs in offline (A9). */
  codeHash: z.string(),
});
export type CashierItem = z.infer<typeof cashierItemSchema>;

export const productItemSchema = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  barcodes: z.array(z.string()),
  categoryId: z.uuid().nullable(),
  price: z.number().int(),
  unit: z.enum(['piece', 'kg']),
  minPrice: z.number().int(),
  noDiscount: z.boolean(),
  noAccrual: z.boolean(),
  noPointsPayment: z.boolean(),
});
export type ProductItem = z.infer<typeof productItemSchema>;

export const buyerLotItemSchema = z.object({
  id: z.uuid(),
  remaining: z.number().int(),
  activatesAt: epochMsSchema,
  expiresAt: epochMsSchema.nullable(),
});

export const buyerItemSchema = z
  .object({
    id: z.uuid(),
    phone: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    /** Active cards (blocked and replaced ones left out). */
    cardNumbers: z.array(z.string()),
    cardTypeId: z.uuid().nullable(),
    registeredAt: epochMsSchema,
    birthDate: z.iso.date().nullable(),
    /** For the till's edit form (A4); absent from items cached before they shipped. */
    gender: z.enum(['male', 'female']).nullable().default(null),
    email: z.string().nullable().default(null),
    /**
     * Registered without a code (offline, A2): consent to messages is not proven yet, and the next
     * purchase on any till of the merchant asks for the code.
     */
    consentPending: z.boolean().default(false),
    referrerId: z.uuid().nullable(),
    tags: z.array(z.string()),
    favouriteCategoryIds: z.array(z.uuid()),
    purchasesCount: z.number().int(),
    purchasesTotal: z.number().int(),
    lastPurchaseAt: epochMsSchema.nullable(),
    /** Points in hundredths: sum of the ledger; `debt` is the overdraft still owed. */
    balance: z.number().int(),
    debt: z.number().int(),
    /** Lots with points left, the engine's input for redemption. */
    lots: z.array(buyerLotItemSchema),
  })
  .meta({ id: 'SyncBuyer' });
export type BuyerItem = z.infer<typeof buyerItemSchema>;

const page = <S extends string, T extends z.ZodType>(stream: S, item: T) =>
  z.object({
    stream: z.literal(stream),
    items: z.array(item),
    /** Ids removed from the stream since the cursor (tombstones). */
    deleted: z.array(z.string()),
    cursor: z.string(),
    hasMore: z.boolean(),
    serverTime: serverTimeSchema,
    /** This terminal's last applied op sequence, read in the same snapshot as the page. */
    appliedSeq: z.number().int(),
  });

export const settingsPageSchema = page('settings', settingsItemSchema);
export const rulesPageSchema = page('rules', rulesItemSchema);
export const cashiersPageSchema = page('cashiers', cashierItemSchema);
export const productsPageSchema = page('products', productItemSchema);
export const buyersPageSchema = page('buyers', buyerItemSchema);

export const pullResponseSchema = z
  .discriminatedUnion('stream', [
    settingsPageSchema,
    rulesPageSchema,
    cashiersPageSchema,
    productsPageSchema,
    buyersPageSchema,
  ])
  .meta({ id: 'SyncPullPage' });
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** Exactly one of a phone, a card number or a buyer id. */
export const buyerLookupQuerySchema = z
  .object({
    phone: z.string().min(1).max(40).optional(),
    cardNumber: z
      .string()
      .regex(/^\d{1,30}$/, 'Номер карты — от 1 до 30 цифр')
      .optional(),
    buyerId: z.uuid().optional(),
  })
  .refine((q) => [q.phone, q.cardNumber, q.buyerId].filter((v) => v !== undefined).length === 1, {
    message: 'Укажите ровно одно: phone, cardNumber или buyerId',
  });

/** One of the buyer's latest receipts on any till or channel, for the till's buyer panel (A4). */
export const recentReceiptSchema = z.object({
  receiptId: z.uuid(),
  number: z.string().nullable(),
  storeId: z.uuid().nullable(),
  createdAt: epochMsSchema,
  /** Kopecks paid in money, points paid and accrued (hundredths). */
  paidMoney: z.number().int(),
  pointsPaid: z.number().int(),
  accrual: z.number().int(),
});
export type RecentReceipt = z.infer<typeof recentReceiptSchema>;

export const buyerLookupResponseSchema = z
  .object({
    buyer: buyerItemSchema,
    appliedSeq: z.number().int(),
    /** The buyer's latest receipts, newest first (at most 10); absent from older servers. */
    recentReceipts: z.array(recentReceiptSchema).default([]),
    serverTime: serverTimeSchema,
  })
  .meta({ id: 'SyncBuyerLookup' });

/** The data of an SSE `poke` event: which streams changed. */
export const pokeSchema = z.object({ streams: z.array(syncStreamSchema) });
export type Poke = z.infer<typeof pokeSchema>;
