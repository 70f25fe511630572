// Error reports of rejected imports. They quote cells of the uploaded file (phones, names), so
// they live REPORT_TTL_DAYS: older ones are not served and are deleted when the merchant saves
// the next report, which needs no job of its own.
import { isStorableText } from '@loyalty/protocol/api/fields.schema';
import type { ImportKind } from '@loyalty/protocol/api/import-export.schema';
import type { Actor } from '#auth/actor.ts';
import type { ImportReportError } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';

export const REPORT_TTL_DAYS = 30;

const cutoff = (now: Date) => new Date(now.getTime() - REPORT_TTL_DAYS * 86_400_000);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** jsonb refuses NUL and lone surrogates; a report quoting a broken cell must still be kept. */
const storable = (text: string | null) =>
  text === null || isStorableText(text)
    ? text
    : text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');

/** Keeps a report and drops this merchant's expired ones; returns the new report's id. */
export async function saveReport(
  db: Db,
  actor: Actor,
  report: {
    kind: ImportKind;
    fileName: string;
    rows: number;
    errorCount: number;
    errors: ImportReportError[];
  },
  now: Date,
): Promise<string> {
  await db
    .deleteFrom('import_reports')
    .where('merchant_id', '=', actor.merchantId)
    .where('created_at', '<', cutoff(now))
    .execute();
  const row = await db
    .insertInto('import_reports')
    .values({
      merchant_id: actor.merchantId,
      kind: report.kind,
      file_name: report.fileName,
      rows: report.rows,
      error_count: report.errorCount,
      errors: JSON.stringify(
        report.errors.map((e) => ({ ...e, column: storable(e.column), value: storable(e.value) })),
      ),
      actor_type: actor.kind,
      actor_id: actor.id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A report of this merchant that has not expired. */
export function findReport(db: Db, merchantId: string, id: string, now: Date) {
  return db
    .selectFrom('import_reports')
    .select(['id', 'kind', 'file_name', 'rows', 'error_count', 'errors', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('created_at', '>=', cutoff(now))
    .executeTakeFirst();
}
