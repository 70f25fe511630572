// Imports (B5) over REST: a file checked (dry run) or imported whole; a rejected file answers 422
// `import_rejected` with the first problems and the id of the full XLSX report.
import type { z } from 'zod';
import type { Permission } from '@loyalty/protocol/api/auth.schema';
import {
  importRejectedDetailsSchema,
  importResultSchema,
  type ImportKind,
} from '@loyalty/protocol/api/import-export.schema';
import { download, isApiFailure, upload } from '#api/http-client.ts';

export type ImportResult = z.output<typeof importResultSchema>;
export type ImportRejection = z.output<typeof importRejectedDetailsSchema>;

/** The permissions each kind needs (apps/server/src/import-export/*-import.ts). */
export const importPermissions: Record<ImportKind, readonly Permission[]> = {
  buyers: ['buyers:write'],
  cards: ['buyers:write'],
  products: ['catalogue:write'],
  balances: ['buyers:write', 'points:manual'],
};

/** Sends `file` to POST /imports/{kind}; `dryRun` checks every row and writes nothing. */
export const runImport = (
  kind: ImportKind,
  file: File,
  dryRun: boolean,
  onProgress?: (share: number) => void,
): Promise<ImportResult> =>
  upload(importResultSchema, `/imports/${kind}?dryRun=${String(dryRun)}`, file, onProgress);

/** The rejection report of a failed import, or null for any other failure. */
export function rejectionOf(error: unknown): ImportRejection | null {
  if (!isApiFailure(error) || error.code !== 'import_rejected') return null;
  const parsed = importRejectedDetailsSchema.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}

/** Downloads every problem of a rejected file as XLSX. */
export const downloadReport = (reportId: string) => download(`/imports/reports/${reportId}`);
