// ProcessedEventRepository on the store: source events already handled, unique per tenant and source id.

import type { Clock, ProcessedEventRepository } from '../../domain/ports.js';
import type { Queryable } from '../db.js';

export class SqlProcessedEventRepository implements ProcessedEventRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async markProcessed(tenantId: string, sourceId: string, kind: string): Promise<boolean> {
    // ON CONFLICT DO NOTHING rather than catching a unique violation: inside a transaction a caught violation
    // would still abort the transaction on PostgreSQL.
    const result = await this.db.query(
      `INSERT INTO processed_events (tenant_id, source_id, kind, processed_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (tenant_id, source_id) DO NOTHING`,
      [tenantId, sourceId, kind, this.clock.now().toISOString()],
    );
    return result.rowCount === 1;
  }

  async isProcessed(tenantId: string, sourceId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'SELECT 1 FROM processed_events WHERE tenant_id = $1 AND source_id = $2',
      [tenantId, sourceId],
    );
    return rows.length > 0;
  }
}
