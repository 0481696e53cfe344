// Db over a PostgreSQL connection pool (pg 8), used when a database URL is configured.

import pg from 'pg';

import type { Db, Listening, NotifyHandlers, Queryable, QueryResult } from './db.js';

export interface PostgresDbOptions {
  url: string;
  /** schema to use (search_path) instead of the server's default, e.g. one per test file */
  schema?: string;
  /** pool size (at least 2): a transaction holds one connection while other queries run beside it */
  max?: number;
}

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 30_000;

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await client.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly direct: Queryable;

  constructor(readonly options: PostgresDbOptions) {
    // Quoted so any schema name is taken literally by the server.
    const searchPath =
      options.schema === undefined
        ? {}
        : { options: `-c search_path="${options.schema.replace(/"/g, '""')}"` };
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: Math.max(2, options.max ?? 10),
      ...searchPath,
    });
    // An idle client's network error is reported here; without a listener it would crash the process.
    this.pool.on('error', () => undefined);
    this.direct = wrap(this.pool);
  }

  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> {
    return this.direct.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * LISTEN on a connection of its own (a pooled one would be handed to other queries). When it drops, `live(false)`
   * and a reconnect after 0.5 s, doubling to 30 s; `live(true)` once listening again, so the caller reads what it
   * may have missed meanwhile (PostgreSQL keeps no notification for a session that was not listening).
   */
  async listen(channel: string, handlers: NotifyHandlers): Promise<Listening> {
    let closed = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    let delayMs = RECONNECT_FIRST_MS;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: this.options.url });
      // an error is followed by 'end', where the reconnect is planned
      c.on('error', () => undefined);
      c.on('notification', (message) => {
        if (message.channel === channel) handlers.signal(message.payload ?? '');
      });
      c.on('end', () => {
        if (client !== c) return;
        client = null;
        if (!closed) lost();
      });
      try {
        await c.connect();
        await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
      } catch {
        await c.end().catch(() => undefined);
        if (!closed) lost();
        return;
      }
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      delayMs = RECONNECT_FIRST_MS;
      handlers.live(true);
    };
    const lost = (): void => {
      handlers.live(false);
      if (retry !== null) return;
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, delayMs);
      retry.unref();
      delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
    };
    await connect();
    return {
      close: async () => {
        closed = true;
        if (retry !== null) clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
