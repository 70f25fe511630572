// The update feed (A11, issue 5): electron-updater's generic provider fetches the channel file
// and the installer named in it; bad names are refused with 400 and nothing outside the
// releases folder is ever served (`..`, encoded slashes, a symbolic link planted inside).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';

let database: TestDatabase;
let root: string;
let releases: string;
let app: FastifyInstance;
// A fake installer: bytes of every value, so any re-encoding on the way would show.
const installer = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
const latestLinux = [
  'version: 0.2.0',
  'files:',
  '  - url: loyalty-pos-0.2.0-x86_64.AppImage',
  '    sha512: c2hh',
  `    size: ${installer.length}`,
  'path: loyalty-pos-0.2.0-x86_64.AppImage',
  "releaseDate: '2026-12-03T12:00:00.000Z'",
  '',
].join('\n');

beforeAll(async () => {
  database = await createTestDatabase(2);
  root = mkdtempSync(join(tmpdir(), 'update-feed-'));
  releases = join(root, 'releases');
  mkdirSync(join(releases, 'stable', 'linux'), { recursive: true });
  mkdirSync(join(releases, 'stable', 'win'), { recursive: true });
  writeFileSync(join(releases, 'stable', 'linux', 'latest-linux.yml'), latestLinux);
  writeFileSync(join(releases, 'stable', 'linux', 'loyalty-pos-0.2.0-x86_64.AppImage'), installer);
  writeFileSync(join(releases, 'stable', 'win', 'latest.yml'), 'version: 0.2.0\n');
  // Secrets next to the releases folder, and a link inside it pointing at them.
  writeFileSync(join(root, 'secret.yml'), 'password: hunter2\n');
  symlinkSync(join(root, 'secret.yml'), join(releases, 'stable', 'linux', 'leak.yml'));
  app = await buildApp({ db: database.db, logger: pino({ level: 'silent' }), updatesDir: releases });
});
afterAll(async () => {
  await app.close();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

describe('update feed', () => {
  it('serves the channel files and the installer byte for byte', async () => {
    const linux = await app.inject({ url: '/updates/stable/linux/latest-linux.yml' });
    expect(linux.statusCode).toBe(200);
    expect(linux.headers['content-type']).toContain('text/yaml');
    expect(linux.headers['cache-control']).toBe('no-cache');
    expect(linux.body).toBe(latestLinux);
    const win = await app.inject({ url: '/updates/stable/win/latest.yml' });
    expect(win.statusCode).toBe(200);
    expect(win.body).toBe('version: 0.2.0\n');

    const file = await app.inject({ url: '/updates/stable/linux/loyalty-pos-0.2.0-x86_64.AppImage' });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(Number(file.headers['content-length'])).toBe(installer.length);
    expect(file.rawPayload.equals(installer)).toBe(true);
  });

  it('answers 404 in the error shape when a release is not published', async () => {
    for (const url of ['/updates/beta/linux/latest-linux.yml', '/updates/stable/win/loyalty-pos-9.9.9.exe']) {
      const answer = await app.inject({ url });
      expect(answer.statusCode).toBe(404);
      const body = answer.json<{ code: string; message: string; details: unknown }>();
      expect(body.code).toBe('not_found');
      expect(body.message).toContain('Обновление не опубликовано');
      expect(body.message).toContain('UPDATES_DIR');
    }
  });

  it('refuses bad parameters with 400 and Russian messages', async () => {
    const platform = await app.inject({ url: '/updates/stable/mac/latest-mac.yml' });
    expect(platform.statusCode).toBe(400);
    expect(platform.json<{ code: string; details: { issues: { message: string }[] } }>()).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ message: 'Платформа обновлений: linux или win' }] },
    });
    const extension = await app.inject({ url: '/updates/stable/linux/app.sh' });
    expect(extension.statusCode).toBe(400);
    expect(extension.body).toContain('.AppImage');
    const channel = await app.inject({ url: '/updates/Stable!/linux/latest-linux.yml' });
    expect(channel.statusCode).toBe(400);
  });

  it('never leaves the releases folder', async () => {
    const attempts = [
      '/updates/stable/linux/..%2F..%2F..%2Fsecret.yml',
      '/updates/stable/linux/%2e%2e%2fsecret.yml',
      '/updates/..%2F..%2Fsecret.yml/linux/latest-linux.yml',
      '/updates/stable/linux/..',
    ];
    for (const url of attempts) {
      const answer = await app.inject({ url });
      expect([400, 404]).toContain(answer.statusCode);
      expect(answer.body).not.toContain('hunter2');
    }
    // A name that passes every pattern but is a symbolic link out of the folder: not found.
    const link = await app.inject({ url: '/updates/stable/linux/leak.yml' });
    expect(link.statusCode).toBe(404);
    expect(link.body).not.toContain('hunter2');
  });

  it('also answers over a real port, as the updater fetches it', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // A connection of its own (no keep-alive), so closing the app does not wait for it.
    const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      get(`${address}/updates/stable/linux/loyalty-pos-0.2.0-x86_64.AppImage`, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(status).toBe(200);
    expect(body.equals(installer)).toBe(true);
  });
});
