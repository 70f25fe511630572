// POST /imports/{kind}: a CSV or XLSX file as multipart/form-data, imported whole or not at all,
// its columns matched by header or mapped by hand (`columns`); POST /imports/{kind}/preview: the
// headers, first rows and automatic mapping of a file, nothing written; GET /imports/reports/:id:
// the problems of a rejected file as XLSX.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, errorSchema, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import {
  describeImportColumns,
  importColumns,
  importKindSchema,
  importMappingSchema,
  importPreviewSchema,
  importQuerySchema,
  importRejectedSchema,
  importResultSchema,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  XLSX_MIME,
  type ImportKind,
} from '@loyalty/protocol/api/import-export.schema';
import { actorOf } from '#auth/auth.plugin.ts';
import { demand } from '#auth/actor.ts';
import type { Db } from '#db/database.ts';
import { ApiError, badRequest, notFound } from '#http/api-error.ts';
import { errorReportSheet } from './error-report.ts';
import { findReport } from './import-reports.repository.ts';
import { importers, previewImport, runImport, type Upload } from './import.service.ts';
import { sendWorkbook } from './xlsx-writer.ts';

const kindNames: Record<ImportKind, string> = {
  buyers: 'покупателей',
  cards: 'карт (выдача, активация, блокировка)',
  products: 'товаров',
  balances: 'начальных балансов баллов',
};

const MEGABYTE = 1024 * 1024;

const fileRequired = () =>
  badRequest(
    'file_required',
    'Приложите файл .csv или .xlsx в поле формы (multipart/form-data), например file=@buyers.xlsx',
  );

/** The one uploaded file, read up to the size limit. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw fileRequired();
  try {
    const part = await request.file();
    if (!part) throw fileRequired();
    return { bytes: await part.toBuffer(), fileName: part.filename };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new ApiError(
        413,
        'file_too_large',
        `Файл больше ${MAX_IMPORT_BYTES / MEGABYTE} МБ: разделите его на несколько файлов`,
        { maxBytes: MAX_IMPORT_BYTES },
      );
    throw error;
  }
}

/** The hand-made mapping of `?columns=`, checked; undefined when the headers decide. */
function mappingOf(columns: string | undefined): Array<string | null> | undefined {
  if (columns === undefined || columns === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(columns);
  } catch {
    parsed = undefined;
  }
  const checked = importMappingSchema.safeParse(parsed);
  if (!checked.success)
    throw badRequest(
      'import_mapping',
      'Параметр columns — JSON-массив полей по колонкам файла, null — не загружать колонку: ["phone", null, "lastName"]',
      { issues: checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    );
  return checked.data;
}

/** Registers the import routes (multipart parsing must be registered on `app`). */
export function importRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['import-export'];

  for (const kind of importKindSchema.options) {
    const titles = importColumns[kind].map((c) => c.title).join(', ');
    r.post(
      `/api/v1/imports/${kind}`,
      {
        schema: {
          tags,
          summary: `Импорт ${kindNames[kind]} из CSV или XLSX (все строки или ничего). Колонки: ${titles}`,
          description:
            'Тело — multipart/form-data с одним файлом (поле file): ' +
            `.csv (UTF-8 или Windows-1251, разделитель «;» или «,») или .xlsx (первый лист) до ` +
            `${MAX_IMPORT_BYTES / MEGABYTE} МБ и ${MAX_IMPORT_ROWS.toLocaleString('ru-RU')} строк. ` +
            'Первая строка — заголовки (русские или английские, регистр и знаки препинания не важны):\n\n' +
            `${describeImportColumns(kind)}\n\n` +
            'Если хоть одна строка с ошибкой, ничего не записывается: ответ 422 import_rejected со ' +
            'списком ошибок и reportId для загрузки отчёта. `dryRun=true` проверяет файл, ничего не записывая.',
          consumes: ['multipart/form-data'],
          querystring: importQuerySchema,
          response: {
            200: importResultSchema,
            413: errorSchema,
            422: importRejectedSchema,
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const importer = importers[kind];
        const actor = actorOf(request);
        for (const permission of importer.permissions) demand(actor, permission);
        const mapping = mappingOf(request.query.columns);
        const upload = await readUpload(request);
        return runImport(db, actor, kind, upload, {
          dryRun: request.query.dryRun === 'true',
          now: new Date(),
          mapping,
        });
      },
    );

    r.post(
      `/api/v1/imports/${kind}/preview`,
      {
        schema: {
          tags,
          summary: `Предпросмотр файла импорта ${kindNames[kind]}: заголовки, первые строки, сопоставление колонок`,
          description:
            'Тело — как у импорта. Ничего не записывается: ответ показывает заголовки файла, первые строки, ' +
            'поля, которые читает импорт, и поле каждой колонки по её заголовку (null — не найдено). ' +
            'Сопоставление можно поправить и передать импорту в параметре columns.',
          consumes: ['multipart/form-data'],
          response: { 200: importPreviewSchema, 413: errorSchema, ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        for (const permission of importers[kind].permissions) demand(actor, permission);
        return previewImport(db, actor, kind, await readUpload(request));
      },
    );
  }

  r.get(
    '/api/v1/imports/reports/:id',
    {
      schema: {
        tags,
        summary: 'Отчёт об ошибках отклонённого импорта (XLSX: строка, колонка, значение, ошибка)',
        description: 'Отчёты хранятся 30 дней.',
        params: idParamsSchema,
        produces: [XLSX_MIME, 'application/json'],
        response: { 200: z.unknown().describe('Файл XLSX'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const report = await findReport(db, actor.merchantId, request.params.id, new Date());
      if (!report) throw notFound('Отчёт об ошибках импорта');
      // Whoever may run this kind of import may read its report; it quotes cells of the file.
      for (const permission of importers[report.kind].permissions) demand(actor, permission);
      await sendWorkbook(
        reply,
        `import-errors-${report.id.slice(0, 8)}.xlsx`,
        errorReportSheet(report.errors),
      );
      return reply;
    },
  );
}
