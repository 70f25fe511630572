// Card types over a sliding period (C2) and invite-only referrals (C8). The nightly recalculation
// records per merchant which local day it last finished, so two server instances, restarts and
// hourly runs never repeat a day's work; `started_at` is a lease so a crashed run is taken over.
// `can_invite` is the merchant's permission for a buyer to bring others in invite-only mode.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE buyers ADD COLUMN can_invite boolean NOT NULL DEFAULT false;
    -- Few buyers may invite; the cabinet lists them and the D1 filter finds them by this index.
    CREATE INDEX buyers_can_invite_idx ON buyers (merchant_id) WHERE can_invite;
    CREATE TABLE tier_recalculations (
      merchant_id uuid PRIMARY KEY REFERENCES merchants(id) ON DELETE CASCADE,
      -- The merchant's calendar day of the last finished run; null: never finished.
      local_date date,
      started_at timestamptz,
      finished_at timestamptz,
      checked integer NOT NULL DEFAULT 0,
      changed integer NOT NULL DEFAULT 0
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE tier_recalculations;
    DROP INDEX buyers_can_invite_idx;
    ALTER TABLE buyers DROP COLUMN can_invite;
  `.execute(db);
}
