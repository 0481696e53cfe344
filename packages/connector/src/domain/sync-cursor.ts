// The incremental sync rule, stated once. A stream is read in (SystemModstamp, Id) order, page after page, each
// page starting strictly after the last row of the one before (a keyset), so any number of rows sharing one
// timestamp is neither looped over nor skipped. The cursor saved after a page is that page's last row.
//
// Salesforce stamps SystemModstamp when a transaction starts writing, not when it commits, so a row can become
// visible with a stamp older than rows already read. Each read therefore starts an overlap window before the
// cursor and re-reads it; the processed-event ledger (domain/event-keys.ts) drops what was already handled, and its
// entries are kept longer than the window (processedRetention). The first read of a stream starts a look-back
// the caller chooses before now, never at the beginning of the org. Pure: no I/O, no clock (now comes in).

/** A position in a stream: the last row handled. `id` '' stands before every row of that instant. */
export interface SyncCursor {
  /** ISO 8601 UTC */
  modstamp: string;
  id: string;
}

/** How a stream's reads start: how far back the first one looks and how much each later one re-reads. */
export interface ReadWindow {
  lookBackMs: number;
  overlapMs: number;
}

/** Salesforce pages hold at most 2,000 rows and honour no fewer than 200 (Sforce-Query-Options batchSize). */
export const MIN_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 2000;

export function clampPageSize(requested: number): number {
  if (!Number.isFinite(requested)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, Math.floor(requested)));
}

function instant(iso: string, what: string): number {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new TypeError(`invalid ${what} ${iso}`);
  return at;
}

/** Orders positions as the stream does: by modstamp, then id. */
export function compareCursors(a: SyncCursor, b: SyncCursor): number {
  const byTime = instant(a.modstamp, 'modstamp') - instant(b.modstamp, 'modstamp');
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The later of two positions, so a cursor never moves backwards (re-reading the overlap must not rewind it). */
export function laterCursor(saved: SyncCursor | null, next: SyncCursor): SyncCursor {
  return saved !== null && compareCursors(saved, next) >= 0 ? saved : next;
}

/** Where a read starts: the look-back before now for a new stream, else the overlap window before the cursor. */
export function readStart(cursor: SyncCursor | null, now: Date, window: ReadWindow): SyncCursor {
  const from =
    cursor === null
      ? now.getTime() - window.lookBackMs
      : instant(cursor.modstamp, 'cursor') - window.overlapMs;
  return { modstamp: new Date(from).toISOString(), id: '' };
}

/**
 * Where a read starts when the previous complete read of the stream is known (`lastReadAt`: when it was sent, on the
 * reader's clock less any margin for skew). A row stamped at or before lastReadAt − overlap was committed before
 * that read (the overlap bounds how long a transaction runs), so that read, or one before it, saw it: the re-read
 * only has to reach back to lastReadAt − overlap. Once a stream has been quiet for an overlap window, reads start
 * at the cursor itself and re-read nothing. Never earlier than readStart, so a stale or missing lastReadAt costs
 * only the re-read readStart makes anyway.
 */
export function readStartAfterRead(
  cursor: SyncCursor | null,
  now: Date,
  window: ReadWindow,
  lastReadAt: Date | null,
): SyncCursor {
  const plain = readStart(cursor, now, window);
  if (cursor === null || lastReadAt === null) return plain;
  const visibleUpTo = lastReadAt.getTime() - window.overlapMs;
  if (instant(cursor.modstamp, 'cursor') <= visibleUpTo) return cursor;
  if (visibleUpTo <= instant(plain.modstamp, 'cursor')) return plain;
  return { modstamp: new Date(visibleUpTo).toISOString(), id: '' };
}

/** The position of a row (its modstamp normalised to ISO 8601 UTC). */
export function positionOf(row: { modstamp: string; id: string }): SyncCursor {
  return { modstamp: new Date(instant(row.modstamp, 'modstamp')).toISOString(), id: row.id };
}

/** As stored: JSON. A bare timestamp (the format before keyset cursors) reads as the start of that instant. */
export function encodeCursor(cursor: SyncCursor): string {
  return JSON.stringify({ modstamp: cursor.modstamp, id: cursor.id });
}

export function decodeCursor(value: string): SyncCursor {
  if (!value.startsWith('{')) return { modstamp: new Date(instant(value, 'cursor')).toISOString(), id: '' };
  const parsed = JSON.parse(value) as { modstamp?: unknown; id?: unknown };
  if (typeof parsed.modstamp !== 'string' || typeof parsed.id !== 'string')
    throw new TypeError(`invalid sync cursor ${value.slice(0, 80)}`);
  instant(parsed.modstamp, 'cursor');
  return { modstamp: parsed.modstamp, id: parsed.id };
}
