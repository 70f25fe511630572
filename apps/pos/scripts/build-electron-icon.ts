// Renders build/icon.svg into build/icon.png (512x512, the size electron-builder wants for deb,
// AppImage and the Windows .ico it derives) with Debian's Chromium. Run after changing the SVG:
//   npx tsx apps/pos/scripts/build-electron-icon.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const buildDir = fileURLToPath(new URL('../../../build/', import.meta.url));
const svg = readFileSync(join(buildDir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(buildDir, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log(`written ${join(buildDir, 'icon.png')}`);
