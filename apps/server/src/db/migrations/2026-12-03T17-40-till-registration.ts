// Registration at the till (A2, D2, D6): the questionnaire reaches terminals in the `settings`
// stream, so its tables get the sync watermark and pokes; a field may be required only when the
// receipt holds products of some categories; a buyer registered offline without a code carries
// `consent_pending` until a later purchase confirms the consent with a code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE questionnaire_fields
      ADD COLUMN required_category_ids jsonb NOT NULL DEFAULT '[]'::jsonb
        CHECK (jsonb_typeof(required_category_ids) = 'array');
    ALTER TABLE buyers ADD COLUMN consent_pending boolean NOT NULL DEFAULT false;

    ALTER TABLE questionnaire_fields ADD COLUMN sync_xid xid8 NOT NULL DEFAULT '3';
    CREATE TRIGGER questionnaire_fields_sync_touch BEFORE INSERT OR UPDATE ON questionnaire_fields
      FOR EACH ROW EXECUTE FUNCTION sync_touch('settings');
    CREATE TRIGGER questionnaire_fields_sync_tombstone AFTER DELETE ON questionnaire_fields
      FOR EACH ROW EXECUTE FUNCTION sync_tombstone('settings');
    CREATE INDEX questionnaire_fields_sync_idx ON questionnaire_fields (merchant_id, sync_xid);

    ALTER TABLE buyer_settings ADD COLUMN sync_xid xid8 NOT NULL DEFAULT '3';
    CREATE TRIGGER buyer_settings_sync_touch BEFORE INSERT OR UPDATE ON buyer_settings
      FOR EACH ROW EXECUTE FUNCTION sync_touch('settings');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER buyer_settings_sync_touch ON buyer_settings;
    ALTER TABLE buyer_settings DROP COLUMN sync_xid;
    DROP TRIGGER questionnaire_fields_sync_tombstone ON questionnaire_fields;
    DROP TRIGGER questionnaire_fields_sync_touch ON questionnaire_fields;
    ALTER TABLE questionnaire_fields DROP COLUMN sync_xid;
    ALTER TABLE buyers DROP COLUMN consent_pending;
    ALTER TABLE questionnaire_fields DROP COLUMN required_category_ids;
  `.execute(db);
}
