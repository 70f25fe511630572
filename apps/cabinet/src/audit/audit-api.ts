// The audit log (C10) over REST: read-only, newest first, paged and filtered by the server.
import type { z } from 'zod';
import {
  auditPageSchema,
  type auditEntrySchema,
  type auditListQuerySchema,
} from '@loyalty/protocol/api/audit.schema';
import { api, withQuery, type Query } from '#api/http-client.ts';

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
  const guess = Date.parse(`${day}T00:00:00Z`);
  const wallOf = (instant: number) => {
    const parts: Record<string, number> = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(instant)
        .map((p) => [p.type, Number(p.value)]),
    );
    const n = (type: string) => parts[type] ?? 0;
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  };
  // The zone's offset at the guess, then corrected once for a shift between the two instants.
  let instant = guess - (wallOf(guess) - guess);
  instant = guess - (wallOf(instant) - instant);
  return new Date(instant).toISOString();
}
