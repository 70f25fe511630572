// Decisions of the Electron shell that need no Electron, so tests check them in plain Node: which
// addresses the window may show, the content security policy, how the window opens (kiosk,
// fullscreen) and where the update feed of the paired server is.
import { extname, resolve, sep } from 'node:path';
import type { z } from 'zod';
import {
  updateChannelSettingSchema,
  windowModeSettingSchema,
} from '#core/store/workstation-settings.schema.ts';

/** The privileged scheme the renderer's files are served under (`app://pos/index.html`). */
export const APP_SCHEME = 'app';
/** The renderer's origin inside the shell. */
export const APP_ORIGIN = `${APP_SCHEME}://pos`;

/**
 * The renderer's policy: only its own files; antd writes inline styles (CSS-in-JS), so styles
 * allow 'unsafe-inline' while scripts never do; the camera (QR) needs blob: and mediastream:.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True for an address of the renderer itself; anything else is refused as navigation. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'pos';
  } catch {
    return false;
  }
}

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
};

/** The renderer file an `app://pos/...` address names, or null (other host, outside the folder). */
export function rendererFile(root: string, url: string): { path: string; mimeType: string } | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  const base = resolve(root);
  const path = resolve(base, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!path.startsWith(base + sep)) return null;
  return { path, mimeType: mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}

/** How the window opens. */
export type WindowMode = z.infer<typeof windowModeSettingSchema>;

/**
 * The window mode: `--kiosk` or `--fullscreen` on the command line win (an installer's shortcut),
 * else the workstation's local setting `windowMode` (settings.set { local: { windowMode } }),
 * else an ordinary window.
 */
export function windowModeFrom(argv: readonly string[], localSettings: Record<string, unknown>): WindowMode {
  if (argv.includes('--kiosk')) return 'kiosk';
  if (argv.includes('--fullscreen')) return 'fullscreen';
  const stored = windowModeSettingSchema.safeParse(localSettings.windowMode);
  return stored.success ? stored.data : 'window';
}

/** Platforms of the update feed, as the server's folders name them. */
export type FeedPlatform = 'linux' | 'win';

/** The feed's platform for Node's `process.platform`; none where we publish no installer. */
export function feedPlatform(platform: NodeJS.Platform): FeedPlatform | null {
  if (platform === 'linux') return 'linux';
  if (platform === 'win32') return 'win';
  return null;
}

/**
 * The generic-provider feed of the server the terminal is paired with:
 * `<serverUrl>/updates/<channel>/<platform>` (the server's updates routes); the channel is the local
 * setting `updateChannel` (default `stable`). Null when there is no server or no feed platform.
 */
export function updateFeedUrl(
  serverUrl: string | null,
  localSettings: Record<string, unknown>,
  platform: FeedPlatform | null,
): string | null {
  if (!serverUrl || !platform) return null;
  let base: URL;
  try {
    base = new URL(serverUrl);
  } catch {
    return null;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return null;
  const channel = updateChannelSettingSchema.safeParse(localSettings.updateChannel);
  const path = `${base.pathname.replace(/\/+$/, '')}/updates/${channel.success ? channel.data : 'stable'}/${platform}`;
  return `${base.origin}${path}`;
}
