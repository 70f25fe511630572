// Cashier login by access code (A9) against the cached argon2id hashes: works offline, since the
// hashes come with the `cashiers` stream. argon2 runs on libuv's thread pool, so checking every
// cashier of the store in parallel keeps the till responsive.
import { verify } from '@node-rs/argon2';
import { ok } from '@loyalty/core/shared/result';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { getIdentity } from '#core/store/identity.repository.ts';
import { fail, notPaired, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import type { CashierOnDuty } from './cashier-session.ts';
import { cashiersOfStore } from './cashiers.repository.ts';

async function matches(code: string, hash: string): Promise<boolean> {
  try {
    return await verify(hash, code);
  } catch {
    // A malformed hash in the cache matches nothing.
    return false;
  }
}

/** `cashier.login`: the code alone, or with the cashier picked from the list. */
export async function loginCashier(
  ctx: TerminalContext,
  args: { code: string; cashierId?: string | undefined },
): Promise<HandlerResult<CashierOnDuty>> {
  const identity = getIdentity(ctx.db);
  if (!identity.storeId) return notPaired();
  const wait = ctx.session.lockedFor(ctx.clock.deviceNow());
  if (wait > 0)
    return fail(
      TerminalError.loginLocked,
      `Слишком много неверных кодов. Повторите через ${Math.ceil(wait / 1000)} с.`,
      { retryAfterMs: wait },
    );
  const candidates = cashiersOfStore(ctx.db, identity.storeId).filter(
    (c) => args.cashierId === undefined || c.id === args.cashierId,
  );
  if (candidates.length === 0)
    return fail(
      TerminalError.noCashiers,
      'На терминале нет кассиров этого магазина: добавьте кассира в кабинете и выполните синхронизацию.',
    );
  const checks = await Promise.all(candidates.map((c) => matches(args.code, c.codeHash)));
  const cashier = candidates[checks.indexOf(true)];
  if (!cashier) {
    ctx.session.recordFailure(ctx.clock.deviceNow());
    return fail(TerminalError.wrongAccessCode, 'Неверный код доступа кассира.');
  }
  const onDuty: CashierOnDuty = {
    cashierId: cashier.id,
    name: cashier.name,
    role: cashier.role,
    loggedInAt: ctx.clock.now(),
  };
  ctx.session.login(onDuty);
  ctx.events.emit('cashier', onDuty);
  return ok(onDuty);
}
