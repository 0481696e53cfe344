// ApiAllocationRepository on the store: a tenant's last /limits reading, refusal or failure (api_allocations,
// migration 0031).

import type { ApiAllocationRepository, StoredApiAllocation } from '../../domain/tickets/poll-pace-ports.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface AllocationRow {
  tenant_id: string;
  outcome: string;
  daily_max: number | null;
  remaining: number | null;
  read_at: unknown;
}

export class SqlApiAllocationRepository implements ApiAllocationRepository {
  constructor(private readonly db: Queryable) {}

  async get(tenantId: string): Promise<StoredApiAllocation | null> {
    const { rows } = await this.db.query<AllocationRow>(
      'SELECT tenant_id, outcome, daily_max, remaining, read_at FROM api_allocations WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      outcome: row.outcome as StoredApiAllocation['outcome'],
      dailyMax: row.daily_max === null ? null : Number(row.daily_max),
      remaining: row.remaining === null ? null : Number(row.remaining),
      readAt: toIso(row.read_at),
    };
  }

  async save(allocation: StoredApiAllocation): Promise<void> {
    await referencingTenant(allocation.tenantId, () =>
      this.db.query(
        `INSERT INTO api_allocations (tenant_id, outcome, daily_max, remaining, read_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz)
       ON CONFLICT (tenant_id) DO UPDATE SET outcome = EXCLUDED.outcome, daily_max = EXCLUDED.daily_max,
         remaining = EXCLUDED.remaining, read_at = EXCLUDED.read_at`,
        [
          allocation.tenantId,
          allocation.outcome,
          allocation.dailyMax,
          allocation.remaining,
          allocation.readAt,
        ],
      ),
    );
  }
}
