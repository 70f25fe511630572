// Tables of the loyalty programme (see migration 2026-11-22T19-20-programme).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** JSONB: read as parsed values, written as JSON text. */
type Json = ColumnType<unknown, string, string>;

export interface ProgrammeSettingsTable {
  merchant_id: string;
  body: Json;
  version: Generated<number>;
  updated_at: Generated<Date>;
}
export interface CardTypesTable {
  id: Generated<string>;
  merchant_id: string;
  name: string;
  rank: number;
  threshold: number | null;
  issue: 'default' | 'threshold' | 'manual';
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export interface ProgrammeRulesTable {
  id: Generated<string>;
  merchant_id: string;
  card_type_id: string;
  category_id: string | null;
  body: Json;
}
export interface HappyHoursTable {
  id: Generated<string>;
  merchant_id: string;
  position: number;
  body: Json;
}
export interface PromotionsTable {
  id: Generated<string>;
  merchant_id: string;
  name: string;
  priority: number;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  body: Json;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  archived_at: Timestamp | null;
}
export interface CouponSeriesTable {
  id: Generated<string>;
  merchant_id: string;
  promotion_id: string;
  name: string;
  body: Json;
  created_at: CreatedAt;
}
export interface CouponCodesTable {
  id: Generated<string>;
  merchant_id: string;
  series_id: string;
  code: string;
  issued_to_buyer_id: string | null;
  uses: Generated<number>;
  blocked: Generated<boolean>;
  created_at: CreatedAt;
}
export interface CouponRedemptionsTable {
  id: Generated<string>;
  merchant_id: string;
  code_id: string;
  buyer_id: string | null;
  receipt_id: string | null;
  redeemed_at: CreatedAt;
}

/** The programme's part of the Database interface. */
export interface ProgrammeTables {
  programme_settings: ProgrammeSettingsTable;
  card_types: CardTypesTable;
  programme_rules: ProgrammeRulesTable;
  happy_hours: HappyHoursTable;
  promotions: PromotionsTable;
  coupon_series: CouponSeriesTable;
  coupon_codes: CouponCodesTable;
  coupon_redemptions: CouponRedemptionsTable;
}
