// Test helpers for file uploads and downloads: the shared Session sends JSON only, so this signs
// in its own cabinet user to send multipart bodies with the cookie and CSRF token, and reads
// XLSX answers back with exceljs.
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { XLSX_MIME } from '@loyalty/protocol/api/import-export.schema';
import { hashSecret } from '#auth/secrets.ts';
import type { Role } from '#db/database-schema.ts';
import type { TestApp } from '../../test/test-app.ts';

/** A signed-in user who uploads files and downloads exports. */
export type Uploader = {
  merchantId: string;
  upload(url: string, fileName: string, bytes: Buffer): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
};

const PASSWORD = 'upload helper password';
const passwordHash = hashSecret(PASSWORD);

/** A multipart/form-data body with one file in the field `file`. */
export function multipart(fileName: string, bytes: Buffer) {
  const boundary = `----loyalty-${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Signs in a new user with `role` in the merchant (a new merchant when none is given). */
export async function signInUploader(t: TestApp, role: Role, merchantId?: string): Promise<Uploader> {
  const merchant = merchantId ?? (await t.createMerchant());
  const email = `uploader-${randomUUID()}@test.local`;
  await t.db
    .insertInto('users')
    .values({ merchant_id: merchant, email, name: role, role, password_hash: await passwordHash })
    .execute();
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.body}`);
  const sid = login.cookies.find((c) => c.name === 'sid')?.value ?? '';
  const { csrfToken } = login.json<{ csrfToken: string }>();
  return {
    merchantId: merchant,
    upload: (url, fileName, bytes) => {
      const body = multipart(fileName, bytes);
      return t.app.inject({
        method: 'POST',
        url,
        cookies: { sid },
        headers: { 'x-csrf-token': csrfToken, 'content-type': body.contentType },
        payload: body.payload,
      });
    },
    get: (url) => t.app.inject({ method: 'GET', url, cookies: { sid } }),
  };
}

/** Text in Windows-1251, as Excel saves a Russian CSV; throws on a character it lacks. */
export function windows1251(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (char) => {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (code === 0x401) return 0xa8;
      if (code === 0x451) return 0xb8;
      throw new Error(`no Windows-1251 byte for ${char}`);
    }),
  );
}

/** An XLSX file with one sheet of these rows (the first is the header). */
export async function xlsxOf(rows: ReadonlyArray<ReadonlyArray<string | number | Date | null>>) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Лист1');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The first sheet of an XLSX answer as rows of cell values (the header first). */
export async function sheetRows(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.read(Readable.from([bytes]));
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const rows: unknown[][] = [];
  sheet.eachRow((row) => {
    rows.push(Array.isArray(row.values) ? Array.from(row.values.slice(1), (v: unknown) => v ?? null) : []);
  });
  return rows;
}

/**
 * An export answer read back, failing on anything but a 200 XLSX: its header, rows, and each
 * column's values by header.
 */
export async function exportedSheet(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe(XLSX_MIME);
  const [header = [], ...rows] = await sheetRows(res.rawPayload);
  const column = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${header.join(', ')}`);
    return rows.map((row) => row[i] ?? null);
  };
  return { header, rows, column };
}
