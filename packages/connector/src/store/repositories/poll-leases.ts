// PollLeaseRepository on the store: one holder per (tenant, poller) at a time, across every worker.

import type { Clock } from '../../domain/ports.js';
import type { PollLeaseRepository } from '../../domain/tickets/monitor-ports.js';
import type { Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

export class SqlPollLeaseRepository implements PollLeaseRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async acquire(tenantId: string, name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    // One statement: of two workers racing, the row lock lets one insert (or take over an expired lease) and the
    // other's WHERE sees a live lease and changes nothing.
    const result = await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO poll_leases (tenant_id, name, owner, expires_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (tenant_id, name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE poll_leases.expires_at <= $5::timestamptz`,
        [tenantId, name, owner, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
      ),
    );
    return result.rowCount === 1;
  }

  async release(tenantId: string, name: string, owner: string): Promise<void> {
    await this.db.query('DELETE FROM poll_leases WHERE tenant_id = $1 AND name = $2 AND owner = $3', [
      tenantId,
      name,
      owner,
    ]);
  }
}
