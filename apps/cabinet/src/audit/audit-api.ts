// The audit log (C10) over REST: read-only, newest first, paged and filtered by the server.
import type { z } from 'zod';
import {
  auditPageSchema,
  type auditEntrySchema,
  type auditListQuerySchema,
} from '@loyalty/protocol/api/audit.schema';
import { api, withQuery, type Query } from '#api/http-client.ts';
import { instantAt } from '#format/zoned-instant.ts';

export type AuditEntry = z.output<typeof auditEntrySchema>;
/** Paging typed as numbers: the schema coerces query strings, so its input type is unknown. */
export type AuditQuery = Omit<Partial<z.input<typeof auditListQuerySchema>>, 'page' | 'pageSize'> & {
  page?: number;
  pageSize?: number;
};

export const fetchAudit = (query: AuditQuery) =>
  api(auditPageSchema, 'GET', withQuery('/audit-log', query as Query));

/** The instant a merchant's day ('YYYY-MM-DD') starts in `timeZone`, as an ISO datetime. */
export function dayStartIn(day: string, timeZone: string): string {
  return new Date(instantAt(day, '00:00', timeZone)).toISOString();
}
