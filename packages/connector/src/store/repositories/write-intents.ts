// WriteIntentRepository on the store: idempotency keys of Salesforce writes, per tenant.

import type { Clock, WriteIntent, WriteIntentRepository } from '../../domain/ports.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface IntentRow {
  tenant_id: string;
  idempotency_key: string;
  kind: WriteIntent['kind'];
  record_id: string | null;
  started_at: unknown;
}

const toIntent = (row: IntentRow): WriteIntent => ({
  tenantId: row.tenant_id,
  idempotencyKey: row.idempotency_key,
  kind: row.kind,
  recordId: row.record_id,
  startedAt: toIso(row.started_at),
});

export class SqlWriteIntentRepository implements WriteIntentRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async begin(
    intent: Omit<WriteIntent, 'recordId' | 'startedAt'>,
  ): Promise<{ intent: WriteIntent; created: boolean }> {
    const inserted = await referencingTenant(intent.tenantId, () =>
      this.db.query<IntentRow>(
        `INSERT INTO write_intents (tenant_id, idempotency_key, kind, started_at) VALUES ($1, $2, $3, $4::timestamptz)
         ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
         RETURNING tenant_id, idempotency_key, kind, record_id, started_at`,
        [intent.tenantId, intent.idempotencyKey, intent.kind, this.clock.now().toISOString()],
      ),
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { intent: toIntent(row), created: true };
    const { rows } = await this.db.query<IntentRow>(
      `SELECT tenant_id, idempotency_key, kind, record_id, started_at FROM write_intents
       WHERE tenant_id = $1 AND idempotency_key = $2`,
      [intent.tenantId, intent.idempotencyKey],
    );
    const existing = rows[0];
    // Gone between the two statements only if its tenant was deleted meanwhile: a fresh intent then.
    if (existing === undefined) return this.begin(intent);
    return { intent: toIntent(existing), created: false };
  }

  async finish(tenantId: string, idempotencyKey: string, recordId: string): Promise<void> {
    await this.db.query(
      `UPDATE write_intents SET record_id = $3, finished_at = $4::timestamptz
       WHERE tenant_id = $1 AND idempotency_key = $2`,
      [tenantId, idempotencyKey, recordId, this.clock.now().toISOString()],
    );
  }

  async recordIdsAmong(tenantId: string, recordIds: readonly string[]): Promise<Set<string>> {
    if (recordIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ record_id: string }>(
      'SELECT record_id FROM write_intents WHERE tenant_id = $1 AND record_id = ANY($2::text[])',
      [tenantId, [...new Set(recordIds)]],
    );
    return new Set(rows.map((row) => row.record_id));
  }

  async purgeBefore(before: Date): Promise<number> {
    const result = await this.db.query('DELETE FROM write_intents WHERE started_at < $1::timestamptz', [
      before.toISOString(),
    ]);
    return result.rowCount;
  }
}
