// TenantPauseRepository on the store: a tenant's background work paused until a time, and why.

import type { TenantPauseRepository } from '../../domain/ports.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

export class SqlTenantPauseRepository implements TenantPauseRepository {
  constructor(private readonly db: Queryable) {}

  async pause(tenantId: string, until: Date, reason: string): Promise<void> {
    await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO tenant_pauses (tenant_id, until, reason) VALUES ($1, $2::timestamptz, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason`,
        [tenantId, until.toISOString(), reason],
      ),
    );
  }

  async get(tenantId: string): Promise<{ until: string; reason: string } | null> {
    const { rows } = await this.db.query<{ until: unknown; reason: string }>(
      'SELECT until, reason FROM tenant_pauses WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    return row === undefined ? null : { until: toIso(row.until), reason: row.reason };
  }

  async clear(tenantId: string): Promise<void> {
    await this.db.query('DELETE FROM tenant_pauses WHERE tenant_id = $1', [tenantId]);
  }
}
