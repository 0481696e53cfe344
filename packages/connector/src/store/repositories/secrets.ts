// SecretRepository on the store: sealed envelopes per tenant and name; `replace` is compare-and-swap.

import type { SecretRepository, StoredSecret } from '../../domain/ports.js';
import type { SecretName } from '../../domain/tenant.js';
import type { Clock } from '../../domain/ports.js';
import type { Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

export class SqlSecretRepository implements SecretRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async put(tenantId: string, name: SecretName, envelope: string): Promise<void> {
    await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO tenant_secrets (tenant_id, name, envelope, updated_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (tenant_id, name) DO UPDATE SET envelope = EXCLUDED.envelope, updated_at = EXCLUDED.updated_at`,
        [tenantId, name, envelope, this.clock.now().toISOString()],
      ),
    );
  }

  async get(tenantId: string, name: SecretName): Promise<string | null> {
    const { rows } = await this.db.query<{ envelope: string }>(
      'SELECT envelope FROM tenant_secrets WHERE tenant_id = $1 AND name = $2',
      [tenantId, name],
    );
    return rows[0]?.envelope ?? null;
  }

  async delete(tenantId: string, name: SecretName): Promise<void> {
    await this.db.query('DELETE FROM tenant_secrets WHERE tenant_id = $1 AND name = $2', [tenantId, name]);
  }

  async list(): Promise<StoredSecret[]> {
    const { rows } = await this.db.query<{ tenant_id: string; name: SecretName; envelope: string }>(
      'SELECT tenant_id, name, envelope FROM tenant_secrets ORDER BY tenant_id, name',
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, name: row.name, envelope: row.envelope }));
  }

  async replace(secret: StoredSecret, expected: string): Promise<boolean> {
    // One conditional UPDATE: atomic on both backends, so two rotations never overwrite each other's envelope.
    const result = await this.db.query(
      `UPDATE tenant_secrets SET envelope = $3, updated_at = $5::timestamptz
       WHERE tenant_id = $1 AND name = $2 AND envelope = $4`,
      [secret.tenantId, secret.name, secret.envelope, expected, this.clock.now().toISOString()],
    );
    return result.rowCount === 1;
  }
}
