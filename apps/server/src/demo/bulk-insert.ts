// Bulk writes for generated data: one `INSERT ... SELECT FROM unnest(...)` per batch, every
// column sent as one array parameter. A batch of thousands of rows is one round trip and one
// statement to plan, which is what lets the demo seed write a year of receipts in seconds;
// row-by-row inserts would take minutes.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '#db/database-schema.ts';

/**
 * A column and its PostgreSQL type. Array types (`text[]`) travel as array literals; `jsonb`
 * values travel as JSON text and a whole batch of them as one JSON array, parsed once by the
 * server and never escaped on the way (a JSON value must not be SQL NULL: use JSON `null`).
 */
export type BulkColumn = {
  readonly name: string;
  readonly type: string;
  /** SQL computing the column from the sent ones (`u.<name>`); no value is sent for it. */
  readonly computed?: string;
  /** Sent for computed columns to read; not a column of the table. */
  readonly inputOnly?: boolean;
};

/** A value of one cell: ids, text and ISO times as strings; JSON as its text. */
export type Cell = string | number | boolean | Buffer | null;

/** Quotes one element of an array literal: inside the quotes only quote and backslash are escaped. */
function quoted(value: string): string {
  return /["\\]/.test(value) ? `"${value.replace(/[\\"]/g, '\\$&')}"` : `"${value}"`;
}

/** The literal of a PostgreSQL array of text-like values, for a column of an array type. */
export function pgArrayLiteral(values: readonly string[]): string {
  return `{${values.map(quoted).join(',')}}`;
}

/**
 * One column of a batch as a single parameter. The pg driver would escape every element of a
 * JavaScript array character by character; ids, numbers and ISO times need no quoting at all,
 * so building the literal here is several times cheaper.
 */
function columnParameter(type: string, values: readonly Cell[]): string {
  if (type === 'jsonb') return `[${values.join(',')}]`;
  const plain = type !== 'text' && !type.endsWith('[]');
  const parts = values.map((v) => {
    if (v === null) return 'NULL';
    if (Buffer.isBuffer(v)) return `"\\\\x${v.toString('hex')}"`;
    return plain ? String(v) : quoted(String(v));
  });
  return `{${parts.join(',')}}`;
}

/**
 * Runs the batches of every table on one connection, one at a time and in the order they were
 * queued, while the caller goes on generating: PostgreSQL writes one batch while JavaScript
 * builds the next ones, so both cores work. The first failure stops the queue and is the one
 * reported.
 */
export class BulkWriter {
  private tail: Promise<void> = Promise.resolve();
  private readonly inFlight: Array<Promise<void>> = [];
  private failure: { error: unknown } | null = null;

  /** `depth` batches may wait behind the one being written before the caller is held up. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly depth = 4,
  ) {}

  /** A table to collect rows for. */
  table(name: string, spec: readonly BulkColumn[], batchSize = 5000): BulkTable {
    return new BulkTable(this, name, spec, batchSize);
  }

  /** Queues `write` behind every write queued before it; waits only when the queue is full. */
  async enqueue(write: (db: Kysely<Database>) => Promise<unknown>): Promise<void> {
    while (this.inFlight.length >= this.depth) await this.inFlight.shift();
    if (this.failure) throw this.failure.error;
    const run = this.tail
      .then(async () => {
        if (!this.failure) await write(this.db);
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
    this.tail = run;
    this.inFlight.push(run);
  }

  /** Waits for every queued write; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.inFlight.length = 0;
    if (this.failure) throw this.failure.error;
  }
}

/** Rows of one table, collected column by column and written in batches. */
export class BulkTable {
  private columns: Cell[][];

  constructor(
    private readonly writer: BulkWriter,
    private readonly name: string,
    private readonly spec: readonly BulkColumn[],
    private readonly batchSize: number,
  ) {
    this.columns = this.sent().map(() => []);
  }

  /** Rows added and not yet queued. */
  get length(): number {
    return this.columns[0]?.length ?? 0;
  }

  /** Adds one row, values in the order of the column spec. */
  add(...values: Cell[]): void {
    if (values.length !== this.columns.length)
      throw new RangeError(`${this.name}: ${values.length} values for ${this.columns.length} columns`);
    values.forEach((value, i) => this.columns[i]?.push(value));
  }

  /** Queues the collected rows once a batch is full. */
  async flushIfFull(): Promise<void> {
    if (this.length >= this.batchSize) await this.queue();
  }

  /** Queues the collected rows as one batch, full or not (to keep child rows behind parents). */
  async queue(): Promise<void> {
    if (this.length === 0) return;
    const statement = this.statement(this.take());
    await this.writer.enqueue((db) => statement.execute(db));
  }

  /** Queues what is left and waits until everything queued so far is written. */
  async flush(): Promise<void> {
    const all = this.take();
    const total = all[0]?.length ?? 0;
    for (let from = 0; from < total; from += this.batchSize) {
      const statement = this.statement(all.map((values) => values.slice(from, from + this.batchSize)));
      await this.writer.enqueue((db) => statement.execute(db));
    }
    await this.writer.drain();
  }

  private take(): Cell[][] {
    const taken = this.columns;
    this.columns = taken.map(() => []);
    return taken;
  }

  /** The INSERT for one batch, built now so the parameters are ready when its turn comes. */
  private statement(batch: Cell[][]): RawBuilder<unknown> {
    const sent = this.sent();
    const sources = sent.map((c, i) => {
      const parameter = columnParameter(c.type, batch[i] ?? []);
      if (c.type === 'jsonb') return sql`jsonb_array_elements(${parameter}::jsonb)`;
      return c.type.endsWith('[]')
        ? sql`unnest(${parameter}::text[])`
        : sql`unnest(${parameter}::${sql.raw(c.type)}[])`;
    });
    const written = this.spec.filter((c) => !c.inputOnly);
    const selected = written.map((c) => {
      if (c.computed) return sql.raw(c.computed);
      return c.type.endsWith('[]')
        ? sql`u.${sql.ref(c.name)}::${sql.raw(c.type)}`
        : sql`u.${sql.ref(c.name)}`;
    });
    // ROWS FROM zips the per-column functions row by row, as a multi-array unnest does.
    return sql`
      INSERT INTO ${sql.table(this.name)} (${sql.join(written.map((c) => sql.ref(c.name)))})
      SELECT ${sql.join(selected)}
      FROM ROWS FROM (${sql.join(sources)}) AS u(${sql.join(sent.map((c) => sql.ref(c.name)))})
    `;
  }

  /** The columns values are sent for, in the order `add` takes them. */
  private sent(): BulkColumn[] {
    return this.spec.filter((c) => c.computed === undefined);
  }
}
