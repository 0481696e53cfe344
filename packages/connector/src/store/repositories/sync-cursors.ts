// SyncCursorRepository on the store: per tenant and stream, how far incremental sync has come.

import type { Clock, StoredSyncCursor, SyncCursorRepository } from '../../domain/ports.js';
import { decodeCursor, encodeCursor, type SyncCursor } from '../../domain/sync-cursor.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface CursorRow {
  tenant_id: string;
  stream: string;
  value: string;
  updated_at: unknown;
}

const toStored = (row: CursorRow): StoredSyncCursor => ({
  tenantId: row.tenant_id,
  stream: row.stream,
  cursor: decodeCursor(row.value),
  updatedAt: toIso(row.updated_at),
});

export class SqlSyncCursorRepository implements SyncCursorRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string, stream: string): Promise<SyncCursor | null> {
    const { rows } = await this.db.query<CursorRow>(
      'SELECT tenant_id, stream, value, updated_at FROM sync_cursors WHERE tenant_id = $1 AND stream = $2',
      [tenantId, stream],
    );
    const row = rows[0];
    return row === undefined ? null : decodeCursor(row.value);
  }

  async save(tenantId: string, stream: string, cursor: SyncCursor): Promise<void> {
    await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO sync_cursors (tenant_id, stream, value, updated_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (tenant_id, stream) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [tenantId, stream, encodeCursor(cursor), this.clock.now().toISOString()],
      ),
    );
  }

  async list(tenantId: string): Promise<StoredSyncCursor[]> {
    const { rows } = await this.db.query<CursorRow>(
      'SELECT tenant_id, stream, value, updated_at FROM sync_cursors WHERE tenant_id = $1 ORDER BY stream',
      [tenantId],
    );
    return rows.map(toStored);
  }
}
