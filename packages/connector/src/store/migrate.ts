// Brings the schema up to date: runs the migrations not yet recorded in schema_migrations, once, in order.

import { appError, isAppError } from '../errors/app-error.js';
import { STORE_MIGRATION_FAILED } from '../errors/codes/store.js';
import type { Logger } from '../logging/logger.js';
import type { Db } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/**
 * Runs pending migrations in one transaction. On PostgreSQL a transaction-scoped advisory lock (per schema) makes
 * workers that start together wait for the first one and then find nothing left to do; on PGlite there is one
 * process and one connection, so the transaction alone is enough. Returns the ids applied now.
 */
export async function migrate(
  db: Db,
  log: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  let current = '(setup)';
  try {
    return await db.transaction(async (tx) => {
      if (db.kind === 'postgres') {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('casebridge:migrate:' || current_schema()))`);
      }
      await tx.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id),
      );
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.id)) continue;
        current = migration.id;
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
        applied.push(migration.id);
      }
      if (applied.length > 0) log.info({ applied }, 'store migrated');
      return applied;
    });
  } catch (err) {
    if (isAppError(err)) throw err;
    throw appError(STORE_MIGRATION_FAILED, {
      params: { migration: current, reason: err instanceof Error ? err.message : String(err) },
      cause: err,
    });
  }
}
