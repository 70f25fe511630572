// Server-side prepared statements for the hot paths. A statement whose text starts with
// PREPARED is sent under a name derived from its text, so each connection parses it once and
// PostgreSQL can reuse its plan: the receipt posting's read and write spend more time being
// planned than being executed. Only marked statements are named, because every distinct text
// stays prepared on every connection for the connection's life.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

const MARK = '/* prepared */';

/** Starts a raw statement that should be prepared: sql`${PREPARED} SELECT ...`. */
export const PREPARED = sql.raw(MARK);

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    // The same text always gets the same name, so a connection never confuses two statements.
    name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/** A pg client that names marked statements (pg prepares a named statement once per connection). */
export class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    if (typeof config === 'string' && config.startsWith(MARK) && Array.isArray(values)) {
      const named = { name: nameOf(config), text: config, values: values as unknown[] };
      return (super.query as (...a: unknown[]) => never)(named, callback);
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
