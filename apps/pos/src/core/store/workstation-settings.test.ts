import { afterEach, describe, expect, it } from 'vitest';
import { readyTerminal, type TestTerminal } from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

describe('the shell settings windowMode and updateChannel (A11) on real SQLite', () => {
  it('stores valid values and refuses bad ones per field in Russian, writing nothing', async () => {
    terminal = await readyTerminal();
    const set = await terminal.handlers['settings.set']({
      local: { windowMode: 'fullscreen', updateChannel: 'beta-2' },
    });
    expect(set.ok && set.value.local).toMatchObject({ windowMode: 'fullscreen', updateChannel: 'beta-2' });

    const bad = await terminal.handlers['settings.set']({
      local: { windowMode: 'maximized', updateChannel: 'Бета' },
    });
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
    const issues =
      (!bad.ok && (bad.error.details as { issues: { path: string; message: string }[] }).issues) || [];
    expect(issues.map((i) => i.path)).toEqual(['local.windowMode', 'local.updateChannel']);
    expect(issues[0]?.message).toContain('Режим окна');
    expect(issues[1]?.message).toContain('латинские');
    const stored = await terminal.handlers['settings.get']({});
    expect(stored.ok && stored.value.local).toMatchObject({
      windowMode: 'fullscreen',
      updateChannel: 'beta-2',
    });

    // null removes a setting: the shell then opens an ordinary window on the stable channel.
    const removed = await terminal.handlers['settings.set']({
      local: { windowMode: null, updateChannel: null },
    });
    expect(removed.ok && removed.value.local).toEqual({});
  });
});
