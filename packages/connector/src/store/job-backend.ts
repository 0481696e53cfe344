// How pg-boss reaches the store: through the same PGlite instance (embedded; a second instance on the directory
// would corrupt it) or through its own pool on the same PostgreSQL database.

import { fromPglite, type ConstructorOptions } from 'pg-boss';

import type { Db } from './db.js';
import { PgliteDb } from './pglite-db.js';
import { PostgresDb } from './postgres-db.js';

/**
 * pg-boss constructor options for the store's database; pg-boss keeps its tables in `schema`: `pgboss`, or beside a
 * store kept in its own schema `<schema>_boss`, so two stores on one database never share a queue.
 */
export function jobBackendOptions(db: Db, schema?: string): ConstructorOptions {
  if (db instanceof PgliteDb)
    return { db: fromPglite(db.pglite), backend: 'pglite', schema: schema ?? 'pgboss' };
  if (db instanceof PostgresDb) {
    const own = db.options.schema === undefined ? 'pgboss' : `${db.options.schema}_boss`;
    return { connectionString: db.options.url, schema: schema ?? own, max: 4 };
  }
  throw new TypeError(`no job backend for a ${db.kind} store`);
}
