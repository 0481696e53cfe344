// OutboxStats on the store: how many messages each tenant has waiting, retrying and dead, per kind (for `status`).

import type { OutboxCounts, OutboxStats } from '../../domain/webhooks/ports.js';
import type { Queryable } from '../db.js';

export class SqlOutboxStats implements OutboxStats {
  constructor(private readonly db: Queryable) {}

  async counts(): Promise<OutboxCounts[]> {
    const { rows } = await this.db.query<{
      tenant_id: string;
      kind: string;
      pending: unknown;
      retrying: unknown;
      dead: unknown;
    }>(
      `SELECT tenant_id, kind,
         count(*) FILTER (WHERE status = 'pending' AND attempts = 0) AS pending,
         count(*) FILTER (WHERE status = 'processing' OR (status = 'pending' AND attempts > 0)) AS retrying,
         count(*) FILTER (WHERE status = 'dead') AS dead
       FROM outbox WHERE status <> 'done'
       GROUP BY tenant_id, kind ORDER BY tenant_id, kind`,
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      kind: row.kind,
      pending: Number(row.pending),
      retrying: Number(row.retrying),
      dead: Number(row.dead),
    }));
  }
}
