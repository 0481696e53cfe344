// CaseStreamLeaseRepository on the store: a row of poll_leases (migration 0022) named 'case-change-stream', renewed
// by its holder; no table of its own.

import type { Clock } from '../../domain/ports.js';
import type { CaseStreamLeaseRepository } from '../../domain/tickets/case-stream-ports.js';
import type { Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

const NAME = 'case-change-stream';

export class SqlCaseStreamLeaseRepository implements CaseStreamLeaseRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async hold(tenantId: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    // One statement, as SqlPollLeaseRepository: a racing worker sees a live lease of another owner and changes
    // nothing; the holder itself extends it.
    const result = await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO poll_leases (tenant_id, name, owner, expires_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (tenant_id, name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE poll_leases.expires_at <= $5::timestamptz OR poll_leases.owner = EXCLUDED.owner`,
        [tenantId, NAME, owner, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
      ),
    );
    return result.rowCount === 1;
  }

  async release(tenantId: string, owner: string): Promise<void> {
    await this.db.query('DELETE FROM poll_leases WHERE tenant_id = $1 AND name = $2 AND owner = $3', [
      tenantId,
      NAME,
      owner,
    ]);
  }

  async held(tenantId: string): Promise<boolean> {
    const result = await this.db.query(
      'SELECT 1 FROM poll_leases WHERE tenant_id = $1 AND name = $2 AND expires_at > $3::timestamptz',
      [tenantId, NAME, this.clock.now().toISOString()],
    );
    return result.rows.length > 0;
  }
}
