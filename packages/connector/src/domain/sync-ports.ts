// What sync and notification work build on: durable cursors per stream, and the source events already handled.

import type { SyncCursor } from './sync-cursor.js';

/** How far a tenant's incremental sync of one stream (e.g. 'cases', 'knowledge') has come. */
export interface StoredSyncCursor {
  tenantId: string;
  stream: string;
  cursor: SyncCursor;
  updatedAt: string;
}

export interface SyncCursorRepository {
  get(tenantId: string, stream: string): Promise<SyncCursor | null>;
  /**
   * Save inside the UnitOfWork that did the work it covers, so a crash never moves the cursor past lost work.
   * TENANT_NOT_FOUND when the tenant does not exist.
   */
  save(tenantId: string, stream: string, cursor: SyncCursor): Promise<void>;
  list(tenantId: string): Promise<StoredSyncCursor[]>;
}

/**
 * Source events already handled, so nothing is relayed twice. `sourceId` is what deduplication needs (see
 * domain/event-keys.ts): a record and its modstamp for a change, a comment id and its visibility for a comment.
 */
export interface ProcessedEventRepository {
  /**
   * Records the event; false when it was already recorded for this kind (the caller then does nothing).
   * `eventAt` is the source's own time (its modstamp), which decides when the entry may be purged.
   * TENANT_NOT_FOUND when the tenant does not exist.
   */
  markProcessed(tenantId: string, sourceId: string, kind: string, eventAt?: string | null): Promise<boolean>;
  isProcessed(tenantId: string, sourceId: string, kind: string): Promise<boolean>;
  /** Of these (kind, source id) pairs, the ones already recorded, as `${kind} ${sourceId}`: one read for many. */
  processedAmong(tenantId: string, keys: readonly { kind: string; sourceId: string }[]): Promise<Set<string>>;
  /**
   * Deletes the tenant's entries processed before `processedBefore` whose source event is older than
   * `eventsBefore` (entries without an event time count as old); returns how many.
   */
  purge(tenantId: string, cutoff: { processedBefore: Date; eventsBefore: Date }): Promise<number>;
}
