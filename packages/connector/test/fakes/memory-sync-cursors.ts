// In-memory SyncCursorRepository: per tenant and stream, stored as the store stores it (encoded), listed by stream.

import type { Clock, StoredSyncCursor, SyncCursorRepository } from '../../src/domain/ports.js';
import { decodeCursor, encodeCursor, type SyncCursor } from '../../src/domain/sync-cursor.js';
import { missingTenant, type KnownTenants } from './known-tenants.js';

export class MemorySyncCursorRepository implements SyncCursorRepository {
  /** `${tenantId}/${stream}` → the row */
  readonly rows = new Map<string, { tenantId: string; stream: string; value: string; updatedAt: string }>();

  constructor(private readonly deps: { tenants: KnownTenants; clock: Clock }) {}

  get(tenantId: string, stream: string): Promise<SyncCursor | null> {
    const row = this.rows.get(`${tenantId}/${stream}`);
    return Promise.resolve(row === undefined ? null : decodeCursor(row.value));
  }
  save(tenantId: string, stream: string, cursor: SyncCursor): Promise<void> {
    const missing = missingTenant(this.deps.tenants, tenantId);
    if (missing !== null) return Promise.reject(missing);
    const updatedAt = this.deps.clock.now().toISOString();
    this.rows.set(`${tenantId}/${stream}`, { tenantId, stream, value: encodeCursor(cursor), updatedAt });
    return Promise.resolve();
  }
  list(tenantId: string): Promise<StoredSyncCursor[]> {
    return Promise.resolve(
      [...this.rows.values()]
        .filter((row) => row.tenantId === tenantId)
        .sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0))
        .map((row) => ({
          tenantId: row.tenantId,
          stream: row.stream,
          cursor: decodeCursor(row.value),
          updatedAt: row.updatedAt,
        })),
    );
  }
}
