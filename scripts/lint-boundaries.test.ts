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

  it('allows the same calls in tests of core, where fixtures may read the clock', async () => {
    const messages = await messagesFor(
      "import { it } from 'vitest';\nit('x', () => { void Date.now(); });",
      'packages/core/src/shared/probe.test.ts',
    );
    expect(messages.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });
});
