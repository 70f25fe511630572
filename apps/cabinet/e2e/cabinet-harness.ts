// The real server on a real port with the built cabinet, a fresh database, users of every role,
// and Debian's Chromium driven by playwright-core (ARCHITECTURE "Tests").
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../server/src/app.ts';
import { hashSecret } from '../../server/src/auth/secrets.ts';
import type { Role } from '../../server/src/db/database-schema.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/test-database.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery';
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Screenshots of each main screen (git-ignored). */
export const ARTIFACTS = `${repositoryRoot}test-artifacts/cabinet`;

/** A running cabinet: its address, database, merchant and a browser. */
export type Cabinet = {
  baseUrl: string;
  database: TestDatabase;
  app: FastifyInstance;
  merchantId: string;
  browser: Browser;
  /** Creates a user of `role` in the merchant and answers its e-mail. */
  user(role: Role): Promise<string>;
  /** A new browser page signed in through the login form. */
  signIn(email: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
};

let counter = 0;

/** Starts the server with the cabinet build and a browser. */
export async function startCabinet(): Promise<Cabinet> {
  const database = await createTestDatabase();
  const app = await buildApp({
    db: database.db,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    databaseUrl: database.url,
    cabinetDir: `${repositoryRoot}apps/cabinet/dist`,
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const merchant = await database.db
    .insertInto('merchants')
    .values({ name: 'Ромашка' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const passwordHash = await hashSecret(PASSWORD);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });

  const user = async (role: Role) => {
    const email = `${role}${++counter}@e2e.local`;
    await database.db
      .insertInto('users')
      .values({
        merchant_id: merchant.id,
        email,
        name: `${role} ${counter}`,
        role,
        password_hash: passwordHash,
      })
      .execute();
    return email;
  };

  const signIn = async (email: string) => {
    const context = await browser.newContext({
      locale: 'ru-RU',
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByTestId('user-menu').waitFor();
    return page;
  };

  return {
    baseUrl,
    database,
    app,
    merchantId: merchant.id,
    browser,
    user,
    signIn,
    screenshot: async (page, name) => {
      // Animations finished, so a modal is captured open rather than fading in.
      await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true, animations: 'disabled' });
    },
    close: async () => {
      await browser.close();
      await app.close();
      await database.drop();
    },
  };
}
