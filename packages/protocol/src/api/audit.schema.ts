// The audit log over the API (C10): who changed which setting or balance, and the values before
// and after. Read-only: entries are written by the server alongside the changes they record.
import { z } from 'zod';
import { pageOf, pageQuerySchema } from '#api/common.schema.ts';

export const auditActorTypeSchema = z.enum(['user', 'api_key', 'system']);

export const auditListQuerySchema = pageQuerySchema.extend({
  /** What was changed: `programme`, `buyer`, `cashier`, `store`, `user`... */
  entity: z.string().trim().min(1).max(50).optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  /** An action or the start of one: `card_type.` finds every card type change. */
  action: z.string().trim().min(1).max(100).optional(),
  actorType: auditActorTypeSchema.optional(),
  actorId: z.string().trim().min(1).max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });

export const auditPageSchema = pageOf(auditEntrySchema);
