// Keeping one timeline per case across rounds. Cases and CaseComments are two keyset streams read page by page; a
// stream that filled its page continues in the next round while the other may already have given rows far later
// than where the full one stopped. Relaying those later rows now would put them before the full stream's rows of
// the next round: a "Waiting on Employee" status before the comment that asked the question. So each round is
// relayed only up to its horizon, the earliest position where a continuing stream stopped; what lies beyond waits
// for a later round, and no cursor is saved past the horizon, so a crash in between re-reads it. Pure.

import { compareCursors, positionOf, type SyncCursor } from '../sync-cursor.js';

/** The earliest last position among the streams that continue next round; null when none continues. */
export function roundHorizon(continuing: readonly SyncCursor[]): SyncCursor | null {
  return continuing.reduce<SyncCursor | null>(
    (min, cursor) => (min === null || compareCursors(cursor, min) < 0 ? cursor : min),
    null,
  );
}

/** Splits events into those at or before the horizon (relayed now) and those after it (held for a later round). */
export function splitAtHorizon<T extends { modstamp: string; id: string }>(
  events: readonly T[],
  horizon: SyncCursor | null,
): { ready: T[]; held: T[] } {
  if (horizon === null) return { ready: [...events], held: [] };
  const ready: T[] = [];
  const held: T[] = [];
  for (const event of events) (compareCursors(positionOf(event), horizon) <= 0 ? ready : held).push(event);
  return { ready, held };
}

/** Where a stream's cursor may be saved: where it read to, but never past the horizon (held rows lie beyond). */
export function cursorWithin(read: SyncCursor, horizon: SyncCursor | null): SyncCursor {
  return horizon !== null && compareCursors(horizon, read) < 0 ? horizon : read;
}
