// Query cursors (locators) for paged results: the matching rows are snapshotted at query time so pages are
// stable; each user holds at most 10 open cursors (opening an 11th releases the oldest) and a cursor expires
// after 15 minutes idle. Unknown, released or expired locators → INVALID_QUERY_LOCATOR (salesforce.md 2.4).

import { KEY_PREFIXES, to18 } from '../ids.js';
import type { SObjectRecord } from '../org/contract.js';
import type { StoredRecord } from '../org/store.js';
import { invalidQueryLocator } from './query-errors.js';

export const MAX_CURSORS_PER_USER = 10;
export const CURSOR_IDLE_MS = 15 * 60_000;

interface Cursor {
  id: string;
  userId: string;
  rows: StoredRecord[];
  batchSize: number;
  render: (rows: StoredRecord[]) => SObjectRecord[];
  lastUsed: number;
}

export interface CursorPage {
  records: SObjectRecord[];
  /** offset of the next page, or undefined when this was the last */
  nextOffset: number | undefined;
  cursorId: string;
  totalSize: number;
}

export class CursorStore {
  private cursors = new Map<string, Cursor>();
  private counter = 1;

  constructor(private readonly pod: string) {}

  /** Opens a cursor over `rows` and returns its id; evicts the user's oldest cursor beyond the cap. */
  open(
    userId: string,
    rows: StoredRecord[],
    batchSize: number,
    render: Cursor['render'],
    now: number,
  ): string {
    this.expire(now);
    const mine = [...this.cursors.values()].filter((c) => c.userId === userId);
    if (mine.length >= MAX_CURSORS_PER_USER) {
      const oldest = mine[0];
      if (oldest) this.cursors.delete(oldest.id);
    }
    const id = to18(`${KEY_PREFIXES.QueryLocator}${this.pod}${String(this.counter++).padStart(10, '0')}`);
    this.cursors.set(id, { id, userId, rows, batchSize, render, lastUsed: now });
    return id;
  }

  /** Reads the page at `offset`; the last page releases the cursor. */
  page(userId: string, cursorId: string, offset: number, now: number): CursorPage {
    this.expire(now);
    const c = this.cursors.get(cursorId);
    if (!c || c.userId !== userId || offset < 0 || offset >= c.rows.length || !Number.isInteger(offset)) {
      throw invalidQueryLocator();
    }
    c.lastUsed = now;
    const end = Math.min(offset + c.batchSize, c.rows.length);
    const records = c.render(c.rows.slice(offset, end));
    if (end >= c.rows.length) this.cursors.delete(cursorId);
    return { records, nextOffset: end < c.rows.length ? end : undefined, cursorId, totalSize: c.rows.length };
  }

  /** Releases every cursor (org reset). */
  clear(): void {
    this.cursors.clear();
  }

  private expire(now: number): void {
    for (const [id, c] of this.cursors) {
      if (now - c.lastUsed > CURSOR_IDLE_MS) this.cursors.delete(id);
    }
  }
}
