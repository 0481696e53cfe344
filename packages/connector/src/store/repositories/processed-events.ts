// ProcessedEventRepository on the store: source events already handled, unique per tenant, kind and source id.

import type { Clock, ProcessedEventRepository } from '../../domain/ports.js';
import type { Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

export class SqlProcessedEventRepository implements ProcessedEventRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async markProcessed(
    tenantId: string,
    sourceId: string,
    kind: string,
    eventAt: string | null = null,
  ): Promise<boolean> {
    // ON CONFLICT DO NOTHING rather than catching a unique violation: inside a transaction a caught violation
    // would still abort the transaction on PostgreSQL.
    const result = await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO processed_events (tenant_id, source_id, kind, processed_at, event_at)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)
       ON CONFLICT (tenant_id, kind, source_id) DO NOTHING`,
        [tenantId, sourceId, kind, this.clock.now().toISOString(), eventAt],
      ),
    );
    return result.rowCount === 1;
  }

  async isProcessed(tenantId: string, sourceId: string, kind: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'SELECT 1 FROM processed_events WHERE tenant_id = $1 AND kind = $2 AND source_id = $3',
      [tenantId, kind, sourceId],
    );
    return rows.length > 0;
  }

  async processedAmong(
    tenantId: string,
    keys: readonly { kind: string; sourceId: string }[],
  ): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const { rows } = await this.db.query<{ kind: string; source_id: string }>(
      `SELECT p.kind, p.source_id FROM processed_events p
       JOIN unnest($2::text[], $3::text[]) AS k(kind, source_id) ON p.kind = k.kind AND p.source_id = k.source_id
       WHERE p.tenant_id = $1`,
      [tenantId, keys.map((k) => k.kind), keys.map((k) => k.sourceId)],
    );
    return new Set(rows.map((r) => `${r.kind} ${r.source_id}`));
  }

  async purge(tenantId: string, cutoff: { processedBefore: Date; eventsBefore: Date }): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM processed_events
       WHERE tenant_id = $1 AND processed_at < $2::timestamptz
         AND (event_at IS NULL OR event_at < $3::timestamptz)`,
      [tenantId, cutoff.processedBefore.toISOString(), cutoff.eventsBefore.toISOString()],
    );
    return result.rowCount;
  }
}
