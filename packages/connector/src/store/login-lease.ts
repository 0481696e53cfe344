// The tenant login lock as a lease row (tenant_login_leases): taken with one statement, held by no connection.
// Any number of tenants can be logging in at once without tying up the pool, and a holder that died (crash, lost
// network) only blocks its own tenant until the lease expires.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { appError } from '../errors/app-error.js';
import { TENANT_NOT_FOUND } from '../errors/codes/tenant.js';
import { sqlState, type Queryable } from './db.js';
import { KeyedMutex } from './keyed-mutex.js';

export interface LoginLeaseOptions {
  /**
   * How long a lease lasts. It must outlast the holder's work (a token exchange, bounded at 30 s), and is also how
   * long a holder that died blocks its tenant's logins.
   */
  ttlMs: number;
  /** a waiter's first pause before trying again; doubled (with jitter) after each try, up to `pollMaxMs` */
  pollMinMs: number;
  pollMaxMs: number;
}

export const DEFAULT_LOGIN_LEASE: LoginLeaseOptions = { ttlMs: 90_000, pollMinMs: 20, pollMaxMs: 500 };

/** PostgreSQL's SQLSTATE for a foreign-key violation: the lease's tenant does not exist. */
const FOREIGN_KEY_VIOLATION = '23503';

export class LoginLeases {
  /** this process's callers queue here, so they do not poll the database against each other */
  private readonly local = new KeyedMutex();
  private readonly options: LoginLeaseOptions;

  constructor(
    private readonly db: Queryable,
    options: Partial<LoginLeaseOptions> = {},
  ) {
    this.options = { ...DEFAULT_LOGIN_LEASE, ...options };
  }

  /** Runs `fn` holding the tenant's lease; TENANT_NOT_FOUND when the tenant does not exist. */
  run<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(tenantId, async () => {
      const owner = randomUUID();
      await this.acquire(tenantId, owner);
      try {
        return await fn();
      } finally {
        // If this fails the lease simply expires; only our own lease is ever deleted.
        await this.db
          .query('DELETE FROM tenant_login_leases WHERE tenant_id = $1 AND owner = $2', [tenantId, owner])
          .catch(() => undefined);
      }
    });
  }

  private async acquire(tenantId: string, owner: string): Promise<void> {
    let pauseMs = this.options.pollMinMs;
    while (!(await this.tryAcquire(tenantId, owner))) {
      // jitter, so waiters in several processes do not retry in step
      await sleep(pauseMs / 2 + Math.random() * (pauseMs / 2));
      pauseMs = Math.min(this.options.pollMaxMs, pauseMs * 2);
    }
  }

  /** One statement: insert the lease, or take it over if it expired; no row back means someone else holds it. */
  private async tryAcquire(tenantId: string, owner: string): Promise<boolean> {
    try {
      // Expiry by the database's clock, the one clock every process sharing the lease agrees on.
      const { rows } = await this.db.query<{ owner: string }>(
        `INSERT INTO tenant_login_leases (tenant_id, owner, until)
         VALUES ($1, $2, now() + $3::float8 * interval '1 millisecond')
         ON CONFLICT (tenant_id) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
           WHERE tenant_login_leases.until < now()
         RETURNING owner`,
        [tenantId, owner, this.options.ttlMs],
      );
      return rows[0]?.owner === owner;
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION)
        throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId }, cause: err });
      throw err;
    }
  }
}
