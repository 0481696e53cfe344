// WebhookRepository on the store: one webhook URL per tenant (its secrets live sealed in tenant_secrets).

import type { Clock } from '../../domain/ports.js';
import type { StoredWebhook, WebhookRepository } from '../../domain/webhooks/ports.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface Row {
  tenant_id: string;
  url: string;
  created_at: unknown;
  updated_at: unknown;
}

const toWebhook = (row: Row): StoredWebhook => ({
  tenantId: row.tenant_id,
  url: row.url,
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

export class SqlWebhookRepository implements WebhookRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string): Promise<StoredWebhook | null> {
    const { rows } = await this.db.query<Row>(
      'SELECT tenant_id, url, created_at, updated_at FROM tenant_webhooks WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    return row === undefined ? null : toWebhook(row);
  }

  async put(tenantId: string, url: string): Promise<StoredWebhook> {
    const { rows } = await referencingTenant(tenantId, () =>
      this.db.query<Row>(
        `INSERT INTO tenant_webhooks (tenant_id, url, created_at, updated_at)
       VALUES ($1, $2, $3::timestamptz, $3::timestamptz)
       ON CONFLICT (tenant_id) DO UPDATE SET url = EXCLUDED.url, updated_at = EXCLUDED.updated_at
       RETURNING tenant_id, url, created_at, updated_at`,
        [tenantId, url, this.clock.now().toISOString()],
      ),
    );
    const row = rows[0];
    if (row === undefined) throw new TypeError('unreachable: upsert returned no row');
    return toWebhook(row);
  }

  async delete(tenantId: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM tenant_webhooks WHERE tenant_id = $1', [tenantId]);
    return result.rowCount === 1;
  }
}
