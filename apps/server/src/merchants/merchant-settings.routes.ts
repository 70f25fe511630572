// The merchant's own settings (issue 6): everyone with settings:read sees them, owners and admins
// (settings:write) change the name and the time zone; every change is audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { errorResponses } from '@loyalty/protocol/api/common.schema';
import { merchantSettingsSchema, merchantSettingsUpdateSchema } from '@loyalty/protocol/api/merchant.schema';
import { writeAudit } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { badRequest } from '#http/api-error.ts';

type MerchantRow = { id: string; name: string; time_zone: string; currency: string; created_at: Date };

const view = (row: MerchantRow) => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  currency: row.currency,
  createdAt: row.created_at.toISOString(),
});

const findMerchant = (db: Db, merchantId: string, lock = false) => {
  const query = db
    .selectFrom('merchants')
    .select(['id', 'name', 'time_zone', 'currency', 'created_at'])
    .where('id', '=', merchantId);
  return (lock ? query.forUpdate() : query).executeTakeFirstOrThrow();
};

/** Registers /merchant routes. */
export function merchantSettingsRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['merchant'];

  r.get(
    '/api/v1/merchant',
    {
      schema: {
        tags,
        summary: 'Настройки компании: название, часовой пояс, валюта',
        response: { 200: merchantSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      return view(await findMerchant(db, actor.merchantId));
    },
  );

  r.patch(
    '/api/v1/merchant',
    {
      schema: {
        tags,
        summary: 'Изменить название или часовой пояс компании',
        body: merchantSettingsUpdateSchema,
        response: { 200: merchantSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      const { name, timeZone } = request.body;
      if (timeZone !== undefined) {
        // Every calendar query runs AT TIME ZONE in PostgreSQL: a zone it does not know would fail there.
        const known = await sql<{ ok: boolean }>`
          SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ${timeZone}) AS ok`.execute(db);
        if (!known.rows[0]?.ok)
          throw badRequest(
            'unknown_time_zone',
            `Часовой пояс ${timeZone} неизвестен: выберите другой из списка`,
            {
              timeZone,
            },
          );
      }
      return db.transaction().execute(async (trx) => {
        const before = view(await findMerchant(trx, actor.merchantId, true));
        await trx
          .updateTable('merchants')
          .set({
            ...(name === undefined ? {} : { name }),
            ...(timeZone === undefined ? {} : { time_zone: timeZone }),
          })
          .where('id', '=', actor.merchantId)
          .execute();
        const after = view(await findMerchant(trx, actor.merchantId));
        await writeAudit(trx, actor, {
          action: 'merchant.update',
          entity: 'merchant',
          entityId: actor.merchantId,
          before,
          after,
        });
        return after;
      });
    },
  );
}
