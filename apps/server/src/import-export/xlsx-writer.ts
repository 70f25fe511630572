// Streams one worksheet into the HTTP reply with exceljs's WorkbookWriter: rows are zipped and
// sent as each page of the query arrives, so an export of the whole buyer base never sits in
// memory as a file. The next page is read only when the client has taken the previous one.
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { XLSX_MIME } from '@loyalty/protocol/api/import-export.schema';

/** What a cell holds; dates are zone-less wall-clock dates (see merchant-time.ts). */
export type CellValue = string | number | Date | null;

/** How a column's numbers and dates display. */
export type CellFormat = 'money' | 'points' | 'integer' | 'date' | 'datetime';

const numberFormats: Record<CellFormat, string> = {
  money: '#,##0.00',
  points: '#,##0.00',
  integer: '0',
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm',
};

/** One column: its Russian header and how a row fills it. */
export type SheetColumn<T> = {
  header: string;
  width?: number;
  format?: CellFormat;
  value: (row: T) => CellValue;
};

/** A worksheet to stream: columns and the pages of rows, read one at a time. */
export type SheetSource<T> = {
  name: string;
  columns: ReadonlyArray<SheetColumn<T>>;
  /** Async for query results; a plain iterator for rows already in memory. */
  pages: AsyncIterator<readonly T[], unknown> | Iterator<readonly T[], unknown>;
};

/** Kopecks (or hundredths of a point) as roubles (or points) with two decimals. */
export const hundredths = (value: number | null): number | null => (value === null ? null : value / 100);

/** A yes/no cell. */
export const yesNo = (value: boolean): string => (value ? 'да' : 'нет');

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** Resolves with `work`, or rejects once the client has gone and the stream closed unfinished. */
function whileOpen<T>(stream: PassThrough, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onClose = () => {
      if (!stream.writableFinished) reject(new Error('the client closed the download'));
    };
    stream.once('close', onClose);
    work.then(
      (value) => {
        stream.off('close', onClose);
        resolve(value);
      },
      (error: unknown) => {
        stream.off('close', onClose);
        reject(asError(error));
      },
    );
  });
}

/** Waits until the client has read what is buffered, so memory holds about one page. */
async function room(stream: PassThrough): Promise<void> {
  if (stream.destroyed) throw new Error('the client closed the download');
  if (stream.writableNeedDrain) await whileOpen(stream, once(stream, 'drain'));
}

/**
 * Sends the sheet as an XLSX attachment. The first page is read before anything is sent, so a
 * refused filter still answers 400; a failure after that can only cut the download short.
 */
export async function sendWorkbook<T>(
  reply: FastifyReply,
  fileName: string,
  source: SheetSource<T>,
): Promise<void> {
  let page = await source.pages.next();
  const stream = new PassThrough();
  void reply
    .header('content-type', XLSX_MIME)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(stream);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(source.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = source.columns.map((column, i) => ({
      header: column.header,
      key: String(i),
      width: column.width ?? 16,
      ...(column.format ? { style: { numFmt: numberFormats[column.format] } } : {}),
    }));
    sheet.getRow(1).font = { bold: true };
    while (page.done !== true) {
      for (const row of page.value) sheet.addRow(source.columns.map((column) => column.value(row))).commit();
      await room(stream);
      page = await source.pages.next();
    }
    sheet.commit();
    await whileOpen(stream, workbook.commit());
  } catch (error) {
    // A destroyed stream is a client that went away; anything else is a failure to log, and
    // with the headers sent, cutting the download short is the only way to tell the client.
    if (stream.destroyed) reply.log.info('export download closed by the client');
    else {
      reply.log.error({ err: error }, 'export failed while streaming');
      stream.destroy(asError(error));
    }
  }
}
