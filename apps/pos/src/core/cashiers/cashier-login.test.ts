import { afterEach, describe, expect, it } from 'vitest';
import {
  CASHIER_CODE,
  CASHIER_ID,
  openTerminal,
  seedCaches,
  T0,
  type TestTerminal,
} from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

describe('cashier.login (A9)', () => {
  it('checks the access code against the cached argon2id hash with the server unreachable', async () => {
    terminal = openTerminal();
    await seedCaches(terminal, T0);
    expect(terminal.ctx.sync.isOnline()).toBe(false);
    const wrong = await terminal.handlers['cashier.login']({ code: '000000' });
    expect(!wrong.ok && wrong.error).toEqual({
      code: 'wrong_access_code',
      message: 'Неверный код доступа кассира.',
    });
    const right = await terminal.handlers['cashier.login']({ code: CASHIER_CODE });
    expect(right.ok && right.value).toMatchObject({ cashierId: CASHIER_ID, name: 'Иванова М.' });
    const status = await terminal.handlers['terminal.status']({});
    expect(status.ok && status.value.cashier?.cashierId).toBe(CASHIER_ID);
    await terminal.handlers['cashier.logout']({});
    const after = await terminal.handlers['terminal.status']({});
    expect(after.ok && after.value.cashier).toBeNull();
  });

  it('locks login for a minute after five wrong codes', async () => {
    terminal = openTerminal();
    await seedCaches(terminal, T0);
    for (let i = 0; i < 5; i++) await terminal.handlers['cashier.login']({ code: '111111' });
    const locked = await terminal.handlers['cashier.login']({ code: CASHIER_CODE });
    expect(!locked.ok && locked.error.code).toBe('login_locked');
    terminal.clock.advance(61_000);
    expect((await terminal.handlers['cashier.login']({ code: CASHIER_CODE })).ok).toBe(true);
  });

  it('says when no cashier of this store is on the terminal', async () => {
    terminal = openTerminal();
    await seedCaches(terminal, T0, { cashiers: [] });
    const none = await terminal.handlers['cashier.login']({ code: CASHIER_CODE });
    expect(!none.ok && none.error.code).toBe('no_cashiers');
  });
});
