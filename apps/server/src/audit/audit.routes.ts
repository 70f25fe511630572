// The audit log for the cabinet and integrations (C10): newest first, server-paged, filtered by
// what changed, who changed it and when. Owners and admins only (`audit:read`).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditListQuerySchema, auditPageSchema } from '@loyalty/protocol/api/audit.schema';
import { errorResponses } from '@loyalty/protocol/api/common.schema';
import { auditColumns, auditQuery } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOf, pageOffset } from '#db/list-query.ts';

/** Registers GET /api/v1/audit-log. */
export function auditRoutes(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'Журнал изменений: кто, когда, что было и что стало',
        querystring: auditListQuerySchema,
        response: { 200: auditPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.auditRead);
      const q = request.query;
      const query = auditQuery(db, actor.merchantId, q);
      const [rows, count] = await Promise.all([
        query
          .select(auditColumns)
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset(pageOffset(q.page, q.pageSize))
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return pageOf(
        rows.map((row) => ({
          id: Number(row.id),
          actorType: row.actor_type,
          actorId: row.actor_id,
          action: row.action,
          entity: row.entity,
          entityId: row.entity_id,
          before: row.before,
          after: row.after,
          createdAt: row.created_at.toISOString(),
        })),
        Number(count.n),
        q,
      );
    },
  );
}
