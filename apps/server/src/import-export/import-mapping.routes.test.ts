// B5 import with columns mapped by hand: the preview reads a file's headers and first rows and
// proposes the mapping the headers give, writing nothing; a file with unusual headers is refused
// by headers but imports with an explicit mapping (skipped columns ignored); a bad mapping is a
// 400 that says what to fix; bad rows still reject the whole file with the file's own headers in
// the report; roles are enforced on the preview too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { signInUploader, type Uploader } from './upload.test-helper.ts';

type Preview = {
  format: string;
  headers: string[];
  sample: string[][];
  rows: number;
  fields: Array<{ field: string; title: string; required: boolean }>;
  mapping: Array<string | null>;
};

let t: TestApp;
let owner: Uploader;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signInUploader(t, 'owner');
});
afterAll(async () => {
  await t.close();
});

const csv = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const unusual = 'Мобильник;Клиент (фамилия);Пол;Комментарий менеджера';
const columns = (mapping: Array<string | null>) => encodeURIComponent(JSON.stringify(mapping));

async function buyersNamed(lastName: string) {
  const res = await owner.get(`/api/v1/buyers?lastName=${encodeURIComponent(lastName)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    total: number;
    items: Array<{ phone: string; lastName: string; gender: string | null }>;
  }>();
}

describe('import column mapping (B5)', () => {
  it('previews the headers, first rows and the automatic mapping without writing anything', async () => {
    const rows = Array.from(
      { length: 7 },
      (_, i) => `+7 901 200-00-0${i};Сопоставленная;ж;звонить после ${i}`,
    );
    const res = await owner.upload('/api/v1/imports/buyers/preview', 'clients.csv', csv(unusual, ...rows));
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json<Preview>();
    expect(preview).toMatchObject({ format: 'csv', headers: unusual.split(';'), rows: 7 });
    expect(preview.mapping).toEqual([null, null, 'gender', null]);
    expect(preview.sample).toHaveLength(5);
    expect(preview.sample[0]).toEqual(['+7 901 200-00-00', 'Сопоставленная', 'ж', 'звонить после 0']);
    expect(preview.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['phone', 'lastName', 'gender']),
    );
    expect((await buyersNamed('Сопоставленная')).total).toBe(0);
  });

  it('refuses unusual headers by name and imports them mapped by hand, skipped columns ignored', async () => {
    const file = csv(unusual, '+7 901 300-00-01;Ручная;ж;VIP', '89013000002;Ручная;м;');
    const byHeaders = await owner.upload('/api/v1/imports/buyers', 'clients.csv', file);
    expect(byHeaders.statusCode).toBe(400);
    expect(byHeaders.json<{ code: string }>().code).toBe('import_columns');

    const mapping = columns(['phone', 'lastName', 'gender', null]);
    const dry = await owner.upload(
      `/api/v1/imports/buyers?dryRun=true&columns=${mapping}`,
      'clients.csv',
      file,
    );
    expect(dry.json()).toEqual({ imported: 0, rows: 2, dryRun: true });
    expect((await buyersNamed('Ручная')).total).toBe(0);
    const res = await owner.upload(`/api/v1/imports/buyers?columns=${mapping}`, 'clients.csv', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, rows: 2, dryRun: false });
    const imported = await buyersNamed('Ручная');
    expect(imported.items.map((b) => [b.phone, b.gender]).sort()).toEqual([
      ['+79013000001', 'female'],
      ['+79013000002', 'male'],
    ]);
  });

  it('answers a bad mapping with a 400 that says what is wrong, and writes nothing', async () => {
    const file = csv(unusual, '+7 901 400-00-01;Неверная;ж;');
    const refused = async (mapping: string, kind = 'buyers') => {
      const res = await owner.upload(`/api/v1/imports/${kind}?columns=${mapping}`, 'clients.csv', file);
      expect(res.statusCode, res.body).toBe(400);
      return res.json<{ code: string; message: string; details: Record<string, unknown> }>();
    };
    const twice = await refused(columns(['phone', 'phone', null, null]));
    expect(twice).toMatchObject({ code: 'import_mapping', details: { repeated: ['Телефон'] } });
    expect(twice.message).toContain('нескольким колонкам');
    expect((await refused(columns(['phone', 'shoeSize', null, null]))).details).toMatchObject({
      unknown: ['shoeSize'],
    });
    expect((await refused(columns(['phone', null, null, null, 'lastName']))).details).toMatchObject({
      outside: [5],
    });
    // The balances import needs its points column.
    expect((await refused(columns(['phone', null, null, null]), 'balances')).details).toMatchObject({
      missing: ['Баллы'],
    });
    expect((await refused(encodeURIComponent('{phone'))).code).toBe('import_mapping');
    expect((await refused(encodeURIComponent('[1, 2]'))).code).toBe('import_mapping');
    expect((await buyersNamed('Неверная')).total).toBe(0);
  });

  it('rejects a mapped file with bad rows whole, quoting the file headers in the report', async () => {
    const file = csv(
      unusual,
      '+7 901 500-00-01;Отчётная;ж;',
      'не телефон;Отчётная;м;',
      '+7 901 500-00-03;Отчётная;x;',
    );
    const res = await owner.upload(
      `/api/v1/imports/buyers?columns=${columns(['phone', 'lastName', 'gender', null])}`,
      'clients.csv',
      file,
    );
    expect(res.statusCode, res.body).toBe(422);
    const errors = res.json<{ details: { errors: Array<{ row: number; column: string | null }> } }>().details
      .errors;
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'Мобильник'],
      [4, 'Пол'],
    ]);
    expect((await buyersNamed('Отчётная')).total).toBe(0);
  });

  it('needs the import permissions for the preview too', async () => {
    const analyst = await signInUploader(t, 'analyst', owner.merchantId);
    const res = await analyst.upload(
      '/api/v1/imports/buyers/preview',
      'clients.csv',
      csv(unusual, '1;2;3;4'),
    );
    expect(res.statusCode).toBe(403);
    const empty = await owner.upload('/api/v1/imports/buyers/preview', 'clients.csv', csv(unusual));
    expect(empty.statusCode).toBe(400);
  });
});
