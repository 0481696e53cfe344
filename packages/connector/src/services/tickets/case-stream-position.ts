// Where a tenant's Case change stream stands: the replay id of the last event whose work is saved, kept as a stream
// position among the sync cursors (so it is written through the unit of work, in the same transaction as the
// ledger rows, outbox messages and snapshots that event produced) with the event's commit time, which also tells
// the poll pacer when a case last changed.

import type { SyncCursor } from '../../domain/sync-cursor.js';

export const CASE_EVENTS_STREAM = 'ticket-case-events';

export interface StreamPosition {
  readonly replayId: number;
  /** ms since the epoch: when Salesforce committed the event's change */
  readonly committedAt: number;
}

export function positionCursor(position: StreamPosition): SyncCursor {
  return { modstamp: new Date(position.committedAt).toISOString(), id: String(position.replayId) };
}

/** the stored position, or null when none was saved (or it does not read as one) */
export function positionOf(cursor: SyncCursor | null | undefined): StreamPosition | null {
  if (cursor === null || cursor === undefined) return null;
  const replayId = Number(cursor.id);
  const committedAt = Date.parse(cursor.modstamp);
  if (!Number.isSafeInteger(replayId) || Number.isNaN(committedAt)) return null;
  return { replayId, committedAt };
}
