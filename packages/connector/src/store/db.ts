// The one database abstraction the repositories use, so the same SQL runs on PGlite (embedded) and PostgreSQL.

export interface QueryResult<Row> {
  rows: Row[];
  /** rows inserted, updated or deleted by the statement (0 for a SELECT on PGlite) */
  rowCount: number;
}

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
  /** runs a script of several statements without parameters (migrations) */
  exec(sql: string): Promise<void>;
}

/** What a listener on a notification channel is told (see `Db.listen`). */
export interface NotifyHandlers {
  /** a NOTIFY arrived on the channel */
  signal(payload: string): void;
  /** whether notifications are being heard: false while the listening connection is down (some may be missed) */
  live(up: boolean): void;
}

export interface Listening {
  close(): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Hears PostgreSQL NOTIFY on `channel` until closed. Never rejects: while the connection is down it says
   * `live(false)` and keeps reconnecting, so a caller treats notifications as a hint and reads the tables anyway.
   */
  listen(channel: string, handlers: NotifyHandlers): Promise<Listening>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Use only `tx` inside:
   * PGlite has one connection, so a query on the Db itself from inside `fn` waits for the transaction forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

export function sqlState(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Both drivers return timestamptz as Date; text columns or casts may give strings. Always hand out ISO strings. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new TypeError(`not a timestamp: ${typeof value}`);
}

export function toIsoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIso(value);
}
