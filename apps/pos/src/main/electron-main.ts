// Electron's main process (issue 5, A11): one locked-down window over the renderer build, the
// terminal core in a utility process, the IPC bridge between them, and the updater. A thin shell:
// browser mode runs everything here except the window, so tests need no Electron.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, Menu, protocol, session } from 'electron';
import { z } from 'zod';
import { TERMINAL_EVENT_CHANNEL } from '#preload/ipc-channels.ts';
import { startAutoUpdate } from './auto-update.ts';
import { startCoreHost, type CoreHost } from './core-host.ts';
import { bridgeTerminal } from './ipc-bridge.ts';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  rendererFile,
  windowModeFrom,
  type WindowMode,
} from './shell-policy.ts';

// The bundle sits beside core-process.mjs, preload.cjs and renderer/ (scripts/build-electron.ts).
const here = import.meta.dirname;
const log = (message: string) => console.log(`[pos shell] ${message}`);

// A second start (a double click on the shortcut) focuses the running till instead of opening a
// second core on the same SQLite file.
if (!app.requestSingleInstanceLock()) app.exit(0);

protocol.registerSchemesAsPrivileged([
  // Vite's module scripts load with `crossorigin`: the scheme must take part in CORS.
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
  },
]);

let window: BrowserWindow | null = null;
let host: CoreHost | null = null;

app.on('second-instance', () => {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
});

const localSettingsSchema = z.object({
  ok: z.literal(true),
  value: z.object({ local: z.record(z.string(), z.unknown()) }),
});

/** The window mode from the command line or the workstation's local setting. */
async function windowMode(core: CoreHost): Promise<WindowMode> {
  const answer = localSettingsSchema.safeParse(await core.call('settings.get', {}));
  return windowModeFrom(process.argv, answer.success ? answer.data.value.local : {});
}

function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(file.path), {
        headers: {
          'content-type': file.mimeType,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  // The camera (QR codes) is the only permission, and only for the renderer's own page.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permission === 'media' && isAppUrl(details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) => permission === 'media' && requestingOrigin === APP_ORIGIN,
  );
}

async function openWindow(core: CoreHost): Promise<BrowserWindow> {
  const mode = await windowMode(core);
  const created = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    kiosk: mode === 'kiosk',
    fullscreen: mode === 'fullscreen',
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  const contents = created.webContents;
  // Nothing but the renderer ever loads in the till's window: no links out, no pop-ups, no webviews.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  created.once('ready-to-show', () => created.show());
  bridgeTerminal(created, core);
  await created.loadURL(`${APP_ORIGIN}/index.html`);
  return created;
}

app.on('window-all-closed', () => app.quit());

let stopped = false;
app.on('before-quit', (event) => {
  if (stopped || !host) return;
  // Let the core close its store first; the quit (and a downloaded update's install) follows.
  event.preventDefault();
  const running = host;
  void running.stop().finally(() => {
    stopped = true;
    app.quit();
  });
});

// Not a top-level await: Electron emits `ready` only after the main module has finished
// evaluating, so awaiting it at the top level would never return.
async function start(): Promise<void> {
  // F5, F9, Ctrl+Q and the like belong to the cashier screens, not to a menu.
  Menu.setApplicationMenu(null);
  serveRenderer(join(here, 'renderer'));
  const dataDir = process.env.POS_DATA_DIR ?? join(app.getPath('userData'), 'terminal');
  const core = startCoreHost({ entry: join(here, 'core-process.mjs'), dataDir, log });
  host = core;
  log(`data folder: ${dataDir}`);
  const shown = await openWindow(core);
  window = shown;
  if (app.isPackaged)
    startAutoUpdate({
      host: core,
      log,
      notify: (event) => {
        if (!shown.isDestroyed()) shown.webContents.send(TERMINAL_EVENT_CHANNEL, event);
      },
    });
}

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    log(`start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    app.exit(1);
  });
