// Imports (B5) over REST: a file previewed (headers, first rows, automatic mapping), checked (dry
// run) or imported whole with its columns mapped; a rejected file answers 422 `import_rejected`
// with the first problems and the id of the full XLSX report.
import type { z } from 'zod';
import type { Permission } from '@loyalty/protocol/api/auth.schema';
import {
  importPreviewSchema,
  importRejectedDetailsSchema,
  importResultSchema,
  type ImportKind,
} from '@loyalty/protocol/api/import-export.schema';
import { download, isApiFailure, upload, withQuery } from '#api/http-client.ts';

export type ImportResult = z.output<typeof importResultSchema>;
export type ImportRejection = z.output<typeof importRejectedDetailsSchema>;
export type ImportPreview = z.output<typeof importPreviewSchema>;
/** The field of each column of the file, null to skip it. */
export type ColumnMapping = Array<string | null>;

/** The permissions each kind needs (apps/server/src/import-export/*-import.ts). */
export const importPermissions: Record<ImportKind, readonly Permission[]> = {
  buyers: ['buyers:write'],
  cards: ['buyers:write'],
  products: ['catalogue:write'],
  balances: ['buyers:write', 'points:manual'],
};

/** The file's headers, first rows, the kind's fields and the mapping its headers give; nothing written. */
export const previewImport = (kind: ImportKind, file: File): Promise<ImportPreview> =>
  upload(importPreviewSchema, `/imports/${kind}/preview`, file);

/** Sends `file` to POST /imports/{kind} with its columns mapped; `dryRun` checks every row and writes nothing. */
export const runImport = (
  kind: ImportKind,
  file: File,
  dryRun: boolean,
  mapping: ColumnMapping,
  onProgress?: (share: number) => void,
): Promise<ImportResult> =>
  upload(
    importResultSchema,
    withQuery(`/imports/${kind}`, { dryRun: String(dryRun), columns: JSON.stringify(mapping) }),
    file,
    onProgress,
  );

/** The rejection report of a failed import, or null for any other failure. */
export function rejectionOf(error: unknown): ImportRejection | null {
  if (!isApiFailure(error) || error.code !== 'import_rejected') return null;
  const parsed = importRejectedDetailsSchema.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}

/** Downloads every problem of a rejected file as XLSX. */
export const downloadReport = (reportId: string) => download(`/imports/reports/${reportId}`);
