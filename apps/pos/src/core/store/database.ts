// Opens the terminal's SQLite file with the settings a till needs: WAL so the sync client reads
// while a sale writes, synchronous=FULL so a committed receipt survives a power cut, and
// foreign keys on (SQLite leaves them off by default).
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';

/** An open better-sqlite3 connection. */
export type Sqlite = Database.Database;

/** Opens (creating if needed) and migrates the database at `file` (":memory:" for a scratch one). */
export function openDatabase(file: string): Sqlite {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another process (a second core started by mistake) waits instead of failing at once.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

const statements = new WeakMap<Sqlite, Map<string, Database.Statement>>();

/**
 * `db.prepare(source)`, prepared once per connection and reused: better-sqlite3 parses the SQL on
 * every `prepare`, which dominated applying a pulled page (1,000 buyers, four statements each).
 */
export function prepared<P extends unknown[] = unknown[], R = unknown>(
  db: Sqlite,
  source: string,
): Database.Statement<P, R> {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map<string, Database.Statement>()));
  let statement = byText.get(source);
  if (!statement) byText.set(source, (statement = db.prepare(source)));
  return statement as unknown as Database.Statement<P, R>;
}

/** Runs the migrations not yet applied, each in its own transaction. */
export function migrate(db: Sqlite): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Set(
    db
      .prepare<[], { id: number }>('SELECT id FROM schema_migrations')
      .all()
      .map((row) => row.id),
  );
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        migration.id,
        migration.name,
        Date.now(),
      );
    })();
  }
}
