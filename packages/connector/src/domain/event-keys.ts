// What the processed-event ledger is keyed by, and how long it must remember. Pure.

import type { ReadWindow } from './sync-cursor.js';

/** A change to a record: the same record changed again is a new event, the same change re-read is not. */
export function recordChangeKey(row: { id: string; modstamp: string }): string {
  return `${row.id}@${new Date(row.modstamp).toISOString()}`;
}

/**
 * A comment: relayed once per visibility. An edit of its text is not a new event, but a comment made public after
 * being internal is (the employee sees it for the first time).
 */
export function commentKey(comment: { id: string; isPublic: boolean }): string {
  return `${comment.id}:${comment.isPublic ? 'public' : 'internal'}`;
}

/** The ledger keeps an entry at least 30 days and at least twice the overlap window a re-read covers. */
export const MIN_PROCESSED_RETENTION_MS = 30 * 24 * 3_600_000;

export function processedRetentionMs(window: Pick<ReadWindow, 'overlapMs'>): number {
  return Math.max(MIN_PROCESSED_RETENTION_MS, 2 * window.overlapMs);
}

/**
 * What a purge may delete: entries processed longer ago than the retention whose source event lies more than two
 * overlap windows before the oldest cursor of the tenant's streams (a re-read of the overlap never reaches them,
 * however long a stream has been quiet).
 */
export function purgeCutoff(
  now: Date,
  oldestCursorModstamp: string | null,
  window: Pick<ReadWindow, 'overlapMs'>,
): { processedBefore: Date; eventsBefore: Date } {
  const processedBefore = new Date(now.getTime() - processedRetentionMs(window));
  const anchor = oldestCursorModstamp === null ? now.getTime() : Date.parse(oldestCursorModstamp);
  return { processedBefore, eventsBefore: new Date(anchor - 2 * window.overlapMs) };
}
