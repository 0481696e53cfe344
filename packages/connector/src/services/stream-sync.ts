// One incremental read of one stream for one tenant, the way every sync (cases, comments, knowledge) runs it:
// start at the look-back or the overlap before the cursor, and for each page, in one unit of work, hand every
// event not yet in the processed-event ledger to the handler and save the cursor. A crash anywhere in a page rolls
// back the page's ledger entries, its outbox messages and its cursor together, so the next read redoes exactly it.

import type {
  Clock,
  IncrementalRead,
  ProcessedEventRepository,
  SetAsideRecord,
  SyncCursorRepository,
  SyncPage,
  TransactionalRepositories,
  UnitOfWork,
} from '../domain/ports.js';
import { purgeCutoff } from '../domain/event-keys.js';
import { laterCursor, readStart, type ReadWindow, type SyncCursor } from '../domain/sync-cursor.js';
import type { Logger } from '../logging/logger.js';

export interface StreamSyncDeps {
  unitOfWork: UnitOfWork;
  cursors: SyncCursorRepository;
  clock: Clock;
  log: Logger;
}

export interface StreamSpec<T> {
  tenantId: string;
  /** the cursor's name, e.g. 'cases' */
  stream: string;
  /** the ledger's kind, e.g. 'case-change' */
  kind: string;
  window: ReadWindow;
  pageSize?: number;
  read(read: IncrementalRead): AsyncIterable<SyncPage<T>>;
  /** the ledger key of an item (domain/event-keys.ts) and its source time */
  eventOf(item: T): { key: string; at: string };
  /** handles an event seen for the first time, inside the page's unit of work (enqueue through `tx.outbox`) */
  handle(tx: TransactionalRepositories, item: T): Promise<void>;
  signal?: AbortSignal;
}

export interface StreamSyncReport {
  pages: number;
  read: number;
  delivered: number;
  /** re-read (the overlap, or a page redone after a crash) and dropped by the ledger */
  duplicates: number;
  setAside: SetAsideRecord[];
  cursor: SyncCursor | null;
}

export async function syncStream<T>(deps: StreamSyncDeps, spec: StreamSpec<T>): Promise<StreamSyncReport> {
  const saved = await deps.cursors.get(spec.tenantId, spec.stream);
  const after = readStart(saved, deps.clock.now(), spec.window);
  const report: StreamSyncReport = {
    pages: 0,
    read: 0,
    delivered: 0,
    duplicates: 0,
    setAside: [],
    cursor: saved,
  };
  const read: IncrementalRead = spec.pageSize === undefined ? { after } : { after, pageSize: spec.pageSize };
  for await (const page of spec.read(read)) {
    const counts = await deps.unitOfWork.run(async (tx) => {
      let delivered = 0;
      let duplicates = 0;
      for (const item of page.items) {
        const event = spec.eventOf(item);
        if (await tx.processed.markProcessed(spec.tenantId, event.key, spec.kind, event.at)) {
          await spec.handle(tx, item);
          delivered += 1;
        } else duplicates += 1;
      }
      const cursor = laterCursor(report.cursor, page.cursor);
      await tx.cursors.save(spec.tenantId, spec.stream, cursor);
      return { delivered, duplicates, cursor };
    });
    report.pages += 1;
    report.read += page.items.length + page.setAside.length;
    report.delivered += counts.delivered;
    report.duplicates += counts.duplicates;
    report.cursor = counts.cursor;
    if (page.setAside.length > 0) {
      // Set aside, never a stalled stream: the cursor has moved past them; the ids are in the report and the log.
      report.setAside.push(...page.setAside);
      deps.log.warn(
        { tenantId: spec.tenantId, stream: spec.stream, setAside: page.setAside },
        'records set aside: they do not match their schema',
      );
    }
    if (spec.signal?.aborted === true) break;
  }
  return report;
}

/**
 * Purges the tenant's processed-event ledger by the rule of domain/event-keys.ts: only entries older than the
 * retention whose events lie before anything a re-read of the overlap could reach. Returns how many went.
 */
export async function purgeProcessedEvents(
  deps: { processed: ProcessedEventRepository; cursors: SyncCursorRepository; clock: Clock },
  tenantId: string,
  window: Pick<ReadWindow, 'overlapMs'>,
): Promise<number> {
  const cursors = await deps.cursors.list(tenantId);
  const oldest = cursors.reduce<string | null>(
    (min, c) => (min === null || Date.parse(c.cursor.modstamp) < Date.parse(min) ? c.cursor.modstamp : min),
    null,
  );
  return deps.processed.purge(tenantId, purgeCutoff(deps.clock.now(), oldest, window));
}
