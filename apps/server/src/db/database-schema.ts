// The Kysely view of the schema: one interface per table, composed into Database.
import type { ColumnType, Generated } from 'kysely';
import type { LedgerTables } from '#ledger/ledger.table.ts';
import type { ProgrammeTables } from '#programme/programme.table.ts';
import type { QrTables } from '#qr/qr-keys.table.ts';
import type { SyncTables } from '#sync/sync.table.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Role = 'owner' | 'admin' | 'marketer' | 'manager' | 'analyst';

export interface MerchantsTable {
  id: Generated<string>;
  name: string;
  time_zone: Generated<string>;
  currency: Generated<string>;
  created_at: CreatedAt;
}
export interface UsersTable {
  id: Generated<string>;
  merchant_id: string;
  email: string;
  name: Generated<string>;
  role: Role;
  password_hash: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  disabled_at: Timestamp | null;
}
export interface SessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  merchant_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}
export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  succeeded: boolean;
  attempted_at: CreatedAt;
}
export interface PasswordResetsTable {
  token_hash: Buffer;
  user_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}
/** Outgoing mail (migration 2026-12-03T17-50): delivered by a transport, logged in development. */
export interface MailOutboxTable {
  id: Generated<string>;
  merchant_id: string | null;
  recipient: string;
  subject: string;
  body: string;
  kind: string;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}
export interface ApiKeysTable {
  id: Generated<string>;
  merchant_id: string;
  name: string;
  secret_hash: Buffer;
  scopes: string[];
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  merchant_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  created_at: CreatedAt;
}

export interface StoresTable {
  id: Generated<string>;
  merchant_id: string;
  name: string;
  address: Generated<string>;
  /** format, cluster, city and free keys; every value is text. */
  attributes: Json<Record<string, string>>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  archived_at: Timestamp | null;
}
export type CashierRole = 'cashier' | 'senior';
export interface CashiersTable {
  id: Generated<string>;
  merchant_id: string;
  store_id: string | null;
  name: string;
  role: CashierRole;
  /** argon2id of the access code. */
  code_hash: string;
  /** HMAC-SHA256 of `${merchant_id}:${code}` under the server secret: finds a cashier by code. */
  code_lookup: Buffer;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  archived_at: Timestamp | null;
}
export interface CategoriesTable {
  id: Generated<string>;
  merchant_id: string;
  parent_id: string | null;
  name: string;
  position: Generated<number>;
}
export type ProductUnit = 'piece' | 'kg';
export interface ProductsTable {
  id: Generated<string>;
  merchant_id: string;
  category_id: string | null;
  sku: string;
  name: string;
  /** Kopecks. */
  price: number;
  /** Kopecks. */
  min_price: Generated<number>;
  barcodes: Generated<string[]>;
  no_discount: Generated<boolean>;
  no_accrual: Generated<boolean>;
  no_points_payment: Generated<boolean>;
  unit: Generated<ProductUnit>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  archived_at: Timestamp | null;
}

export type BuyerChannel = 'till' | 'chatbot' | 'web' | 'import' | 'api' | 'cabinet';
export type StandardFieldSetting = { enabled: boolean; required: boolean };
export interface BuyerSettingsTable {
  merchant_id: string;
  /** Keyed by buyers column: first_name, last_name, middle_name, gender, birth_date, email. */
  standard_fields: Json<Partial<Record<string, StandardFieldSetting>>>;
  updated_at: Generated<Date>;
}
export type QuestionnaireFieldKind = 'list' | 'text' | 'number' | 'date';
export interface QuestionnaireFieldsTable {
  id: Generated<string>;
  merchant_id: string;
  key: string;
  label: string;
  kind: QuestionnaireFieldKind;
  /** The choices of a list field; null for other kinds. */
  options: Json<string[]> | null;
  required: Generated<boolean>;
  /** Required also when the receipt holds products of these categories (A2); JSON array of ids. */
  required_category_ids: ColumnType<string[], string | undefined, string>;
  position: Generated<number>;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
}
export interface BuyersTable {
  id: Generated<string>;
  merchant_id: string;
  /** E.164. */
  phone: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  middle_name: string | null;
  gender: 'male' | 'female' | null;
  /** A `date`: written as 'YYYY-MM-DD'; read it through to_char, pg would make a local-midnight Date. */
  birth_date: ColumnType<Date | null, string | null | undefined, string | null>;
  card_type_id: string | null;
  registered_at: ColumnType<Date, Date | string | undefined, Date | string>;
  registration_store_id: string | null;
  registration_cashier_id: string | null;
  channel: BuyerChannel;
  referrer_id: string | null;
  /** May bring other buyers when the programme is invite-only (C8). */
  can_invite: Generated<boolean>;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Registered at a till without a code: consent to messages awaits confirmation (A2). */
  consent_pending: Generated<boolean>;
  favourite_category_ids: Generated<string[]>;
  tags: Generated<string[]>;
  /** Bumped whenever the buyer's points are locked or posted (migration 2026-11-22T20-30). */
  version: Generated<number>;
  purchases_count: Generated<number>;
  /** Kopecks. */
  purchases_total: Generated<number>;
  last_purchase_at: Timestamp | null;
  last_store_id: string | null;
  /** Hundredths of a point. */
  balance: Generated<number>;
  /** Overdraft owed from spends beyond the balance, repaid from future accruals (C12). */
  debt: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  erased_at: Timestamp | null;
}
export type ConsentKind = 'sms' | 'advertising' | 'email' | 'messenger';
export interface BuyerConsentsTable {
  id: Generated<string>;
  merchant_id: string;
  buyer_id: string;
  kind: ConsentKind;
  granted: boolean;
  channel: BuyerChannel;
  text_version: string | null;
  code: string | null;
  cashier_id: string | null;
  recorded_at: Timestamp;
  created_at: CreatedAt;
}
export type CardSeriesKind = 'personal' | 'anonymous';
export interface CardSeriesTable {
  id: Generated<string>;
  merchant_id: string;
  name: string;
  prefix: Generated<string>;
  number_from: number;
  number_to: number;
  kind: CardSeriesKind;
  created_at: CreatedAt;
}
export type CardStatus = 'issued' | 'active' | 'blocked' | 'replaced';
export interface CardsTable {
  id: Generated<string>;
  merchant_id: string;
  series_id: string | null;
  number: string;
  buyer_id: string | null;
  status: CardStatus;
  block_reason: string | null;
  replaced_by_id: string | null;
  created_at: CreatedAt;
  activated_at: Timestamp | null;
}

/** One problem of a rejected import as its report keeps it. */
export type ImportReportError = {
  row: number;
  column: string | null;
  value: string | null;
  code: string;
  message: string;
};
/** A rejected import's problems, kept for download (B5). */
export interface ImportReportsTable {
  id: Generated<string>;
  merchant_id: string;
  kind: 'buyers' | 'cards' | 'products' | 'balances';
  file_name: string;
  rows: number;
  error_count: number;
  /** In file order; `value` quotes the cell. */
  errors: Json<ImportReportError[]>;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  created_at: CreatedAt;
}

/** The nightly card type recalculation per merchant (C2), see migration 2026-11-22T21-20. */
export interface TierRecalculationsTable {
  merchant_id: string;
  /** 'YYYY-MM-DD', the merchant's day of the last finished run. */
  local_date: ColumnType<Date | null, string | null, string | null>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  checked: Generated<number>;
  changed: Generated<number>;
}

/** Every table the server reads or writes. */
export interface Database extends ProgrammeTables, LedgerTables, SyncTables, QrTables {
  merchants: MerchantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  password_resets: PasswordResetsTable;
  mail_outbox: MailOutboxTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  stores: StoresTable;
  cashiers: CashiersTable;
  categories: CategoriesTable;
  products: ProductsTable;
  buyer_settings: BuyerSettingsTable;
  questionnaire_fields: QuestionnaireFieldsTable;
  buyers: BuyersTable;
  buyer_consents: BuyerConsentsTable;
  card_series: CardSeriesTable;
  cards: CardsTable;
  import_reports: ImportReportsTable;
  tier_recalculations: TierRecalculationsTable;
}
