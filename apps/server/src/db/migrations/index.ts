// Every migration, in order. Names sort by time; add new ones at the end.
import type { Migration } from 'kysely';
import * as tenancyAuth from './2026-11-22T18-30-tenancy-auth.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-22T18-30-tenancy-auth': tenancyAuth,
};
