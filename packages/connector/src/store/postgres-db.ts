// Db over a PostgreSQL connection pool (pg 8), used when a database URL is configured.

import pg from 'pg';

import type { Db, Queryable, QueryResult } from './db.js';

export interface PostgresDbOptions {
  url: string;
  /** schema to use (search_path) instead of the server's default, e.g. one per test file */
  schema?: string;
  /** pool size (at least 2): a transaction holds one connection while other queries run beside it */
  max?: number;
}

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

  async close(): Promise<void> {
    await this.pool.end();
  }
}
