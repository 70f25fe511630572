// The cabinet build at `/` (issue 6): files as they are, any other page address answers
// index.html (SPA fallback), /api keeps its JSON 404, and without a build nothing is served.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase(2);
  dir = mkdtempSync(join(tmpdir(), 'cabinet-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('cabinet static files', () => {
  it('serves the build with an SPA fallback and leaves /api alone', async () => {
    const app = await buildApp({ db: database.db, logger: pino({ level: 'silent' }), cabinetDir: dir });
    try {
      const root = await app.inject({ url: '/' });
      expect(root.statusCode).toBe(200);
      expect(root.body).toContain('id="root"');
      const deep = await app.inject({ url: '/buyers/0f8a?tab=points' });
      expect(deep.statusCode).toBe(200);
      expect(deep.headers['content-type']).toContain('text/html');
      expect(deep.headers['cache-control']).toBe('no-cache');
      const asset = await app.inject({ url: '/assets/index-abc.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const api = await app.inject({ url: '/api/v1/no-such-thing' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ code: 'not_found' });
      expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('serves nothing at / without a build', async () => {
    const app = await buildApp({
      db: database.db,
      logger: pino({ level: 'silent' }),
      cabinetDir: join(dir, 'missing'),
    });
    try {
      expect((await app.inject({ url: '/' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
