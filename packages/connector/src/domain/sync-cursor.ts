// The incremental sync rule, stated once: read rows whose modstamp is >= the cursor (inclusive, so rows sharing the
// last timestamp are never skipped), ordered by modstamp then id, follow every page to the end, upsert by id (so
// re-reading the boundary rows is harmless), and save the cursor after every page. Pure: no I/O, no clock.

/** The greatest modstamp seen so far (ISO 8601 UTC), or null before the first sync. */
export type SyncCursor = string | null;

/** Salesforce pages hold at most 2,000 rows and honour no fewer than 200 (Sforce-Query-Options batchSize). */
export const MIN_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 2000;

export function clampPageSize(requested: number): number {
  if (!Number.isFinite(requested)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, Math.floor(requested)));
}

/** Where the next query starts: rows with modstamp >= this (inclusive), or everything when null. */
export function syncFrom(cursor: SyncCursor): Date | null {
  if (cursor === null) return null;
  const at = new Date(cursor);
  if (Number.isNaN(at.getTime())) throw new TypeError(`invalid sync cursor ${cursor}`);
  return at;
}

/**
 * The cursor after a page: the greatest modstamp in it, never moving backwards (a page can hold only boundary rows
 * equal to the cursor, and an empty page leaves it where it was).
 */
export function advanceCursor(cursor: SyncCursor, page: readonly { modstamp: string }[]): SyncCursor {
  let best = cursor === null ? null : Date.parse(cursor);
  for (const row of page) {
    const at = Date.parse(row.modstamp);
    if (Number.isNaN(at)) throw new TypeError(`invalid modstamp ${row.modstamp}`);
    if (best === null || at > best) best = at;
  }
  return best === null ? null : new Date(best).toISOString();
}
