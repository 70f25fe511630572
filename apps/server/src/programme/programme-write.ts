// Every programme change runs through here: one transaction, serialised per merchant, the whole
// resulting snapshot validated by the engine before commit, and the version bumped so caches
// and terminals see the change.
import type { Transaction } from 'kysely';
import type { Database } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { ApiError } from '#http/api-error.ts';
import { bumpProgrammeVersion, checkProgramme, forgetPreparedRules } from './rules-snapshot.ts';

/** Runs `change` and commits only if the programme it leaves behind is valid. */
export async function writeProgramme<T>(
  db: Db,
  merchantId: string,
  change: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const result = await db.transaction().execute(async (trx) => {
    await trx.selectFrom('merchants').select('id').where('id', '=', merchantId).forUpdate().execute();
    const changed = await change(trx);
    const check = await checkProgramme(trx, merchantId);
    if (check && !check.ok) {
      const details = check.error.details as { issues?: unknown[] } | undefined;
      throw new ApiError(
        400,
        'invalid_programme',
        'Изменение не сохранено: программа лояльности стала бы противоречивой. Исправьте указанное в деталях.',
        details ?? null,
      );
    }
    await bumpProgrammeVersion(trx, merchantId);
    return changed;
  });
  forgetPreparedRules(merchantId);
  return result;
}
