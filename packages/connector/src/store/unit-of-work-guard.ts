// Fails fast when a repository of the store itself is used from inside a unit of work, instead of through `tx`.
// On the embedded store that query would wait for the unit of work's connection forever (a hang, no error); on
// PostgreSQL it would run outside the transaction and commit on its own (not atomic). Both are bugs: say so.

import { AsyncLocalStorage } from 'node:async_hooks';

import { appError, type AppError } from '../errors/app-error.js';
import { STORE_OUTSIDE_UNIT_OF_WORK } from '../errors/codes/store.js';
import type { Db, Queryable, QueryResult } from './db.js';

interface OpenUnit {
  open: boolean;
}

export interface GuardedDb {
  /** the Db for the store's own repositories: refuses work while a unit of work is running in this async context */
  readonly db: Db;
  /** runs `fn` in a transaction marked as the current unit of work */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export function guardUnitOfWork(raw: Db): GuardedDb {
  const current = new AsyncLocalStorage<OpenUnit>();
  // A timer or callback started inside a unit of work inherits its context; once the unit ended it may query.
  const refusal = (operation: string): AppError | null =>
    current.getStore()?.open === true
      ? appError(STORE_OUTSIDE_UNIT_OF_WORK, { params: { operation } })
      : null;
  const db: Db = {
    kind: raw.kind,
    query<Row extends object = Record<string, unknown>>(
      sql: string,
      params?: readonly unknown[],
    ): Promise<QueryResult<Row>> {
      const refused = refusal(sql.trim().split(/\s+/, 3).join(' '));
      if (refused !== null) return Promise.reject(refused);
      return raw.query<Row>(sql, params);
    },
    exec(sql: string): Promise<void> {
      const refused = refusal('exec');
      if (refused !== null) return Promise.reject(refused);
      return raw.exec(sql);
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const refused = refusal('transaction');
      if (refused !== null) return Promise.reject(refused);
      return raw.transaction(fn);
    },
    // a listener holds no transaction and runs no query of a unit of work
    listen: (channel, handlers) => raw.listen(channel, handlers),
    close: () => raw.close(),
  };
  return {
    db,
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const refused = refusal('nested unit of work');
      if (refused !== null) return Promise.reject(refused);
      const unit: OpenUnit = { open: true };
      return current.run(unit, () =>
        raw.transaction(fn).finally(() => {
          unit.open = false;
        }),
      );
    },
  };
}
