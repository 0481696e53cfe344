// How pg-boss reaches the store: through the same PGlite instance (embedded; a second instance on the directory
// would corrupt it) or through its own pool on the same PostgreSQL database.

import { fromPglite, type ConstructorOptions } from 'pg-boss';

import type { Db } from './db.js';
import { PgliteDb } from './pglite-db.js';
import { PostgresDb } from './postgres-db.js';

/** pg-boss constructor options for the store's database; pg-boss keeps its tables in `schema`. */
export function jobBackendOptions(db: Db, schema = 'pgboss'): ConstructorOptions {
  if (db instanceof PgliteDb) return { db: fromPglite(db.pglite), backend: 'pglite', schema };
  if (db instanceof PostgresDb) return { connectionString: db.options.url, schema, max: 4 };
  throw new TypeError(`no job backend for a ${db.kind} store`);
}
