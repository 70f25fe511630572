// The lint config is part of the architecture: these probes prove it refuses impure code in
// packages/core and imports against the dependency direction.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Probes are virtual files, so type-aware rules (which need them on disk) are switched off;
// the boundary rules under test are syntactic.
const eslint = new ESLint({
  cwd: new URL('..', import.meta.url).pathname,
  overrideConfig: tseslint.configs.disableTypeChecked,
});

async function messagesFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint boundaries', () => {
  it('keeps packages/core pure: no clock, randomness, timers, IO or globals of the process', async () => {
    const messages = await messagesFor(
      [
        "import { readFileSync } from 'node:fs';",
        'export const stamp = (): number => Date.now() + Math.random() + new Date().getTime();',
        'export const later = (): void => { setTimeout(() => readFileSync("x"), 1); };',
        'export const env = (): unknown => process.env.HOME;',
        "export const load = (): Promise<unknown> => fetch('http://x');",
      ].join('\n'),
      'packages/core/src/shared/probe.ts',
    );
    const text = messages.join('\n');
    expect(text).toContain("'node:fs' import is restricted");
    expect(text.match(/take `now` as a parameter/g)?.length).toBe(2);
    expect(text).toContain('the caller passes randomness in');
    expect(text).toContain("Unexpected use of 'setTimeout'");
    expect(text).toContain("Unexpected use of 'process'");
    expect(text).toContain("Unexpected use of 'fetch'");
  });

  it('forbids core from importing any workspace package, and packages from importing apps', async () => {
    const core = await messagesFor(
      "import { x } from '@loyalty/protocol/sync';\nexport const y = x;",
      'packages/core/src/shared/probe.ts',
    );
    expect(core.join('\n')).toContain('packages/core imports no workspace package');
    const protocol = await messagesFor(
      "import { x } from '@loyalty/server/app';\nexport const y = x;",
      'packages/protocol/src/probe.ts',
    );
    expect(protocol.join('\n')).toContain('Packages never import apps');
  });

  // Electron layers (STYLE rule 6, issue 5): core <- main; preload sees only electron and types;
  // the renderer sees neither main nor preload.
  const restricted = (messages: string[]) => messages.filter((m) => m.includes('no-restricted-imports'));

  it('keeps Electron out of the terminal core', async () => {
    const messages = await messagesFor(
      "import { app } from 'electron';\nexport const name = app.name;",
      'apps/pos/src/core/sale/probe.ts',
    );
    expect(messages.join('\n')).toContain('keep Electron in src/main');
  });

  it('lets main use the core only through its public entry', async () => {
    const internal = await messagesFor(
      "import { openDatabase } from '#core/store/database.ts';\nexport const open = openDatabase;",
      'apps/pos/src/main/probe.ts',
    );
    expect(internal.join('\n')).toContain('only through its public entry');
    const renderer = await messagesFor(
      "import { App } from '#renderer/app/app.tsx';\nexport const a = App;",
      'apps/pos/src/main/probe.ts',
    );
    expect(renderer.join('\n')).toContain('Main loads the renderer build');
    const allowed = await messagesFor(
      [
        "import { app } from 'electron';",
        "import { createTerminalCore } from '#core/terminal-core.ts';",
        "import { dispatch } from '#core/transport/dispatch.ts';",
        "import { TERMINAL_SEND_CHANNEL } from '#preload/ipc-channels.ts';",
        'export const all = [app, createTerminalCore, dispatch, TERMINAL_SEND_CHANNEL];',
      ].join('\n'),
      'apps/pos/src/main/probe.ts',
    );
    expect(restricted(allowed)).toEqual([]);
  });

  it('lets the preload import only electron, its own files and the handler map types', async () => {
    const node = await messagesFor(
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;",
      'apps/pos/src/preload/probe.ts',
    );
    expect(node.join('\n')).toContain('The preload may import only electron');
    const coreValue = await messagesFor(
      "import { createHandlers } from '#core/handlers/terminal-handlers.ts';\nexport const c = createHandlers;",
      'apps/pos/src/preload/probe.ts',
    );
    expect(coreValue.join('\n')).toContain('Only the handler map types');
    const main = await messagesFor(
      "import { isAppUrl } from '#main/shell-policy.ts';\nexport const i = isAppUrl;",
      'apps/pos/src/preload/probe.ts',
    );
    expect(main.join('\n')).toContain('The preload may import only electron');
    const allowed = await messagesFor(
      [
        "import { contextBridge } from 'electron';",
        "import type { HandlerName } from '#core/handlers/terminal-handlers.ts';",
        "import { TERMINAL_SEND_CHANNEL } from './ipc-channels.ts';",
        "export const names: HandlerName[] = ['terminal.status'];",
        'export const all = [contextBridge, TERMINAL_SEND_CHANNEL];',
      ].join('\n'),
      'apps/pos/src/preload/probe.ts',
    );
    expect(restricted(allowed)).toEqual([]);
  });

  it('keeps main and preload out of the renderer', async () => {
    for (const source of ['#main/shell-policy.ts', '#preload/ipc-channels.ts']) {
      const messages = await messagesFor(
        `import { x } from '${source}';\nexport const y = x;`,
        'apps/pos/src/renderer/rpc/probe.ts',
      );
      expect(messages.join('\n')).toContain('no Electron main or preload');
    }
  });

  it('allows the same calls in tests of core, where fixtures may read the clock', async () => {
    const messages = await messagesFor(
      "import { it } from 'vitest';\nit('x', () => { void Date.now(); });",
      'packages/core/src/shared/probe.test.ts',
    );
    expect(messages.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });
});
