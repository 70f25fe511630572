// The questionnaire (D2) as the `settings` pull stream carries it to terminals: the standard-field
// switches and the enabled own fields in form order, with the categories that make a field
// required at the till (A2). Read inside the pull's snapshot.
import { sql } from 'kysely';
import type { SyncQuestionnaire } from '@loyalty/protocol/sync/pull.schema';
import type { Db } from '#db/database.ts';
import { listFields, loadStandardFields } from './questionnaire.repository.ts';

/** The merchant's form for the till. */
export async function syncQuestionnaire(db: Db, merchantId: string): Promise<SyncQuestionnaire> {
  const [standardFields, fields] = await Promise.all([
    loadStandardFields(db, merchantId),
    listFields(db, merchantId),
  ]);
  return {
    standardFields,
    fields: fields
      .filter((field) => field.enabled)
      .map((field) => ({
        key: field.key,
        label: field.label,
        kind: field.kind,
        options: field.options,
        required: field.required,
        requiredForCategoryIds: field.requiredCategoryIds,
      })),
  };
}

/**
 * The newest transaction that touched the merchant's questionnaire (fields, their deletions, the
 * standard-field switches), for the `settings` stream's change marker.
 */
export const questionnaireMarkers = (merchantId: string) => [
  sql`SELECT max(sync_xid) FROM questionnaire_fields WHERE merchant_id = ${merchantId}`,
  sql`SELECT sync_xid FROM buyer_settings WHERE merchant_id = ${merchantId}`,
  sql`SELECT max(sync_xid) FROM sync_tombstones WHERE merchant_id = ${merchantId}
        AND table_name = 'questionnaire_fields'`,
];
