// KnowledgeSyncStateRepository on the store: one row per tenant, replaced as a run progresses and when it ends.

import type { KnowledgeSyncState, KnowledgeSyncStateRepository } from '../../domain/knowledge/sync-ports.js';
import type { Clock } from '../../domain/ports.js';
import { toIso, toIsoOrNull, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface StateRow {
  tenant_id: string;
  state: KnowledgeSyncState['state'];
  full_load: boolean;
  started_at: unknown;
  finished_at: unknown;
  done: number;
  total: number;
  read: number;
  written: number;
  removed: number;
  id_scans: number;
  warning_count: number;
  warnings: string;
  error: string | null;
}

export class SqlKnowledgeSyncStateRepository implements KnowledgeSyncStateRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async save(s: KnowledgeSyncState): Promise<void> {
    await referencingTenant(s.tenantId, () =>
      this.db.query(
        `INSERT INTO knowledge_sync_state (tenant_id, state, full_load, started_at, finished_at, done, total, read,
         written, removed, id_scans, warning_count, warnings, error, updated_at)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::timestamptz)
       ON CONFLICT (tenant_id) DO UPDATE SET state = EXCLUDED.state, full_load = EXCLUDED.full_load,
         started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, done = EXCLUDED.done,
         total = EXCLUDED.total, read = EXCLUDED.read, written = EXCLUDED.written, removed = EXCLUDED.removed,
         id_scans = EXCLUDED.id_scans, warning_count = EXCLUDED.warning_count, warnings = EXCLUDED.warnings,
         error = EXCLUDED.error, updated_at = EXCLUDED.updated_at`,
        [
          s.tenantId,
          s.state,
          s.full,
          s.startedAt,
          s.finishedAt,
          s.done,
          s.total,
          s.read,
          s.written,
          s.removed,
          s.idScans,
          s.warningCount,
          JSON.stringify(s.warnings),
          s.error,
          this.clock.now().toISOString(),
        ],
      ),
    );
  }

  async get(tenantId: string): Promise<KnowledgeSyncState | null> {
    const { rows } = await this.db.query<StateRow>(
      `SELECT tenant_id, state, full_load, started_at, finished_at, done, total, read, written, removed, id_scans,
         warning_count, warnings, error FROM knowledge_sync_state WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      state: row.state,
      full: row.full_load,
      startedAt: toIso(row.started_at),
      finishedAt: toIsoOrNull(row.finished_at),
      done: Number(row.done),
      total: Number(row.total),
      read: Number(row.read),
      written: Number(row.written),
      removed: Number(row.removed),
      idScans: Number(row.id_scans),
      warningCount: Number(row.warning_count),
      warnings: JSON.parse(row.warnings) as KnowledgeSyncState['warnings'],
      error: row.error,
    };
  }
}
