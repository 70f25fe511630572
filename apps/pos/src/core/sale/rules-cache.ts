// The cached rules snapshot prepared for the engine. Preparing builds indexes over every
// promotion, so it is done once per version, not per receipt.
import { prepareRules, type PreparedRules } from '@loyalty/core/rules/prepared-rules';
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';
import { getRules, getRulesVersion } from '#core/store/cache-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';
import { TerminalError } from '#core/shared/terminal-error.ts';

const prepared = new WeakMap<Sqlite, { version: string; rules: PreparedRules }>();

/** The prepared rules of the cached snapshot, or why there are none. */
export function preparedRules(db: Sqlite): Result<PreparedRules, Problem> {
  // Every calculation (each scan) asks: the version alone is read, the snapshot is read and
  // parsed only when it changed.
  const memo = prepared.get(db);
  const version = getRulesVersion(db);
  if (memo && memo.version === version) return ok(memo.rules);
  const cached = getRules(db);
  if (!cached)
    return err({
      code: TerminalError.rulesMissing,
      message:
        'На терминале нет правил программы лояльности: дождитесь первой синхронизации с сервером (Синхронизация → Синхронизировать).',
    });
  const result = prepareRules(cached.snapshot);
  if (!result.ok)
    return err({
      code: TerminalError.rulesMissing,
      message: 'Правила программы на терминале повреждены: выполните синхронизацию заново.',
      details: result.error,
    });
  prepared.set(db, { version: cached.version, rules: result.value });
  return ok(result.value);
}
