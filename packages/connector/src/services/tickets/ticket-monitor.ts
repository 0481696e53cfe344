// One poll of one tenant's tickets: read what changed on Cases and CaseComments since the cursors (the overlap
// window re-read, a new tenant starting at its look-back), decide the notifications by the rules of
// domain/tickets/notification-rules.ts, and for each round, in ONE unit of work, mark the events processed, enqueue
// every notification into the outbox, update the case snapshots and save both cursors. A crash anywhere in a round
// rolls all of it back together, so the next poll redoes exactly that round; the outbox refuses an event id it
// holds, so a notification is enqueued once however often its change is read.
//
// Outbox contract (the webhook handler consumes it): kind `ticket-notification`, idempotency key and event id =
// the notification's eventId, ordering key = the case id, payload = the TicketNotification as JSON.

import { commentKey, recordChangeKey } from '../../domain/event-keys.js';
import type {
  Clock,
  ProcessedEventRepository,
  SyncCursorRepository,
  TransactionalRepositories,
  UnitOfWork,
} from '../../domain/ports.js';
import type { CaseComment, Employee } from '../../domain/support.js';
import {
  laterCursor,
  readStartAfterRead,
  type ReadWindow,
  type SyncCursor,
} from '../../domain/sync-cursor.js';
import type { TenantSettings } from '../../domain/tenant.js';
import type { CaseChangeSource, WatchedCase } from '../../domain/tickets/case-change-source.js';
import { employeeOfCase, type CaseEmployee } from '../../domain/tickets/case-employee.js';
import { startsWatching } from '../../domain/tickets/monitor-filter.js';
import { cursorWithin, roundHorizon, splitAtHorizon } from '../../domain/tickets/round-horizon.js';
import type {
  CaseSnapshot,
  CaseSnapshotRepository,
  MonitorSkip,
  MonitorStatsRepository,
} from '../../domain/tickets/monitor-ports.js';
import {
  decideEnding,
  decideNotifications,
  type NotificationRules,
  type TicketNotification,
} from '../../domain/tickets/notification-rules.js';
import type { Logger } from '../../logging/logger.js';

export const TICKET_NOTIFICATION_KIND = 'ticket-notification';
export const CASES_STREAM = 'ticket-cases';
export const COMMENTS_STREAM = 'ticket-comments';
const CASE_EVENT_KIND = 'ticket-case';
const COMMENT_EVENT_KIND = 'ticket-comment';

/** Re-read before each cursor: SystemModstamp is stamped when a transaction starts, not when it commits. */
export const MONITOR_OVERLAP_MS = 2 * 60_000;
export const DEFAULT_LOOK_BACK_MINUTES = 24 * 60;
/**
 * Taken off the time a read was sent before it bounds the next re-read (readStartAfterRead): the worker's clock and
 * Salesforce's may disagree by this much without a late-committed row being missed.
 */
export const READ_CLOCK_MARGIN_MS = 10_000;
/** Ledger keys a worker remembers per tenant from its last poll (the overlap re-read of a busy tenant); beyond: none. */
const REMEMBERED_KEYS = 20_000;

/**
 * What this worker learnt of a tenant in its last poll that finished: when its read was sent (so the next re-read
 * reaches back only an overlap before it) and the ledger keys of every row it handled (so re-reading them asks the
 * ledger nothing). Both are facts that stay true whoever polls next: a row handled is in the ledger for good (the
 * purge keeps it longer than any re-read reaches), and a row visible to that read was read then. So a second
 * worker, or a restart that forgets all of it, costs only re-reading, never a missed or repeated notification.
 */
interface TenantMemory {
  readAt: number;
  handled: ReadonlySet<string>;
}

export interface MonitorTenant {
  id: string;
  settings: TenantSettings;
}

export interface TicketMonitorDeps {
  unitOfWork: UnitOfWork;
  cursors: SyncCursorRepository;
  /** read before each round's unit of work, to know which parent cases must be fetched */
  snapshots: CaseSnapshotRepository;
  stats: MonitorStatsRepository;
  /**
   * the ledger read before a round's unit of work: rows it already holds (the overlap re-read of every poll for a
   * while after any change) are dropped there, so a quiet tenant's poll opens no transaction
   */
  processed?: Pick<ProcessedEventRepository, 'processedAmong'>;
  /** the record ids among these that casebridge wrote itself (the ledger of its own writes) */
  ownWrites(tenantId: string, recordIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** leaves the internal note saying the employee was told (tenants with monitor.noteAfterNotify) */
  leaveNote?(tenantId: string, notification: TicketNotification): Promise<void>;
  clock: Clock;
  log: Logger;
}

export interface PollOptions {
  pageSize?: number;
  signal?: AbortSignal;
  /** Salesforce calls made so far for the tenant (the poll reports the difference) */
  callCount?: () => number;
}

export interface PollReport {
  rounds: number;
  caseRows: number;
  commentRows: number;
  notified: number;
  /** re-read (overlap, or a round redone after a crash) and dropped by the ledger */
  duplicates: number;
  skipped: Partial<Record<MonitorSkip, number>>;
  calls: number | null;
}

type Event =
  | { kind: 'case'; at: string; id: string; row: WatchedCase }
  | { kind: 'comment'; at: string; id: string; row: CaseComment };

export function monitorWindow(settings: TenantSettings): ReadWindow {
  return {
    lookBackMs: (settings.monitor.lookBackMinutes ?? DEFAULT_LOOK_BACK_MINUTES) * 60_000,
    overlapMs: MONITOR_OVERLAP_MS,
  };
}

export class TicketMonitor {
  private readonly memory = new Map<string, TenantMemory>();

  constructor(private readonly deps: TicketMonitorDeps) {}

  async poll(
    tenant: MonitorTenant,
    source: CaseChangeSource,
    options: PollOptions = {},
  ): Promise<PollReport> {
    const { deps } = this;
    const callsBefore = options.callCount?.() ?? null;
    const window = monitorWindow(tenant.settings);
    const now = deps.clock.now();
    // both cursors in one read: an idle poll runs for every tenant every interval, so each query counts
    const stored = await deps.cursors.list(tenant.id);
    let casesCursor = stored.find((c) => c.stream === CASES_STREAM)?.cursor ?? null;
    let commentsCursor = stored.find((c) => c.stream === COMMENTS_STREAM)?.cursor ?? null;
    let changed = false;
    const report: PollReport = {
      rounds: 0,
      caseRows: 0,
      commentRows: 0,
      notified: 0,
      duplicates: 0,
      skipped: {},
      calls: null,
    };
    const skip = (why: MonitorSkip): void => {
      report.skipped[why] = (report.skipped[why] ?? 0) + 1;
    };
    const serviceUser = await source.serviceUserId();
    const remembered = this.memory.get(tenant.id);
    const lastReadAt = remembered === undefined ? null : new Date(remembered.readAt - READ_CLOCK_MARGIN_MS);
    const handled = new Set<string>();
    const start = {
      cases: readStartAfterRead(casesCursor, now, window, lastReadAt),
      comments: readStartAfterRead(commentsCursor, now, window, lastReadAt),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    };
    // Rows read beyond a round's horizon wait here for a later round (round-horizon.ts), and each stream's cursor
    // is saved no further than what was relayed, so a crash meanwhile re-reads them.
    let heldCases: WatchedCase[] = [];
    let heldComments: CaseComment[] = [];
    let casesRead = casesCursor;
    let commentsRead = commentsCursor;
    for await (const round of source.changesSince(start)) {
      report.rounds += 1;
      if (round.cases !== null) casesRead = laterCursor(casesRead, round.cases.cursor);
      if (round.comments !== null) commentsRead = laterCursor(commentsRead, round.comments.cursor);
      const horizon = roundHorizon([
        ...(round.more?.cases === true && round.cases !== null ? [round.cases.cursor] : []),
        ...(round.more?.comments === true && round.comments !== null ? [round.comments.cursor] : []),
      ]);
      const caseSplit = splitAtHorizon([...heldCases, ...(round.cases?.items ?? [])], horizon);
      const commentSplit = splitAtHorizon([...heldComments, ...(round.comments?.items ?? [])], horizon);
      heldCases = caseSplit.held;
      heldComments = commentSplit.held;
      // The ledger is asked only about rows this worker did not handle in its last poll.
      const caseKeys = caseSplit.ready.map((c) => ({ kind: CASE_EVENT_KIND, sourceId: recordChangeKey(c) }));
      const commentKeys = commentSplit.ready.map((c) => ({
        kind: COMMENT_EVENT_KIND,
        sourceId: commentKey(c),
      }));
      const unknown = [...caseKeys, ...commentKeys].filter(
        (k) => remembered?.handled.has(`${k.kind} ${k.sourceId}`) !== true,
      );
      const seen =
        deps.processed === undefined || unknown.length === 0
          ? new Set<string>()
          : await deps.processed.processedAmong(tenant.id, unknown);
      const isHandled = (k: { kind: string; sourceId: string }): boolean => {
        const key = `${k.kind} ${k.sourceId}`;
        return seen.has(key) || (deps.processed !== undefined && remembered?.handled.has(key) === true);
      };
      const cases = caseSplit.ready.filter((_, i) => !isHandled(caseKeys[i] ?? { kind: '', sourceId: '' }));
      const comments = commentSplit.ready.filter(
        (_, i) => !isHandled(commentKeys[i] ?? { kind: '', sourceId: '' }),
      );
      // after this round every ready row is in the ledger (marked in its unit of work, or found there)
      const roundKeys = [...caseKeys, ...commentKeys].map((k) => `${k.kind} ${k.sourceId}`);
      report.duplicates +=
        caseSplit.ready.length - cases.length + commentSplit.ready.length - comments.length;
      report.caseRows += round.cases?.items.length ?? 0;
      report.commentRows += round.comments?.items.length ?? 0;
      // Nothing read (the usual idle poll): the cursors stay where they are, so no transaction is needed.
      const setAsideRows = (round.cases?.setAside.length ?? 0) + (round.comments?.setAside.length ?? 0);
      if (cases.length === 0 && comments.length === 0 && setAsideRows === 0) {
        for (const key of roundKeys) handled.add(key);
        continue;
      }
      changed = true;

      // Everything Salesforce must tell us is fetched before the unit of work opens: parent cases of comments on
      // cases not yet watched, the Contacts of supplied emails, and which comments casebridge wrote itself.
      const inRound = new Map(cases.map((c) => [c.id, c]));
      const known = await deps.snapshots.getMany(tenant.id, [
        ...inRound.keys(),
        ...comments.map((c) => c.caseId),
      ]);
      const missing = [...new Set(comments.map((c) => c.caseId))].filter(
        (id) => !known.has(id) && !inRound.has(id),
      );
      const fetched = new Map(
        (missing.length === 0 ? [] : await source.casesByIds(missing)).map((c) => [c.id, c]),
      );
      const emails = [...cases, ...fetched.values()]
        .filter((c) => (c.employeeId === null || c.employeeId === '') && c.suppliedEmail !== null)
        .map((c) => c.suppliedEmail ?? '');
      const contacts = emails.length === 0 ? [] : await source.contactsByEmails(emails);
      const ownComments =
        comments.length === 0
          ? new Set<string>()
          : await deps.ownWrites(
              tenant.id,
              comments.map((c) => c.id),
            );
      // A case version whose last writer is the service user is casebridge's own update (its status writes).
      const ownVersions = new Set(
        [...cases, ...fetched.values()]
          .filter((c) => c.lastModifiedById === serviceUser)
          .map((c) => `${c.id}@${c.modstamp}`),
      );
      const rules: NotificationRules = {
        tenantId: tenant.id,
        mapping: tenant.settings.caseStates,
        ownAuthorIds: new Set([serviceUser]),
        isOwnWrite: (probe) =>
          probe.kind === 'comment'
            ? ownComments.has(probe.commentId)
            : ownVersions.has(`${probe.caseId}@${probe.modstamp}`),
        notifyOwnerChange: tenant.settings.monitor.notifyOwnerChange ?? false,
      };

      // One timeline: a comment asking a question, then the move to "Waiting on Employee", reach the employee in
      // that order, within the round and (by the horizon) across rounds.
      const events: Event[] = [
        ...cases.map((row): Event => ({ kind: 'case', at: row.modstamp, id: row.id, row })),
        ...comments.map((row): Event => ({ kind: 'comment', at: row.modstamp, id: row.id, row })),
      ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

      const sent: TicketNotification[] = [];
      const result = await deps.unitOfWork.run(async (tx) => {
        const snaps = await tx.caseSnapshots.getMany(tenant.id, [
          ...known.keys(),
          ...fetched.keys(),
          ...inRound.keys(),
        ]);
        const notified: TicketNotification[] = [];
        let duplicates = 0;
        const localSkips: MonitorSkip[] = [];
        const watch = (row: WatchedCase, previous: CaseSnapshot | undefined): CaseSnapshot | null => {
          if (row.deleted) return null;
          if (previous === undefined && !startsWatching(tenant.settings.monitor, row)) return null;
          const employee = employeeOf(row, previous, contacts);
          return { tenantId: tenant.id, caseId: row.id, snapshot: row, employee };
        };
        for (const event of events) {
          if (event.kind === 'case') {
            const row = event.row;
            if (
              !(await tx.processed.markProcessed(
                tenant.id,
                recordChangeKey(row),
                CASE_EVENT_KIND,
                row.modstamp,
              ))
            ) {
              duplicates += 1;
              continue;
            }
            const previous = snaps.get(row.id);
            if (previous !== undefined && previous.snapshot.modstamp > row.modstamp) continue; // older than held
            if (row.deleted) {
              // Deleted, or merged into another case (whose comments then arrive on it): the conversation ends,
              // with one case-ended notification unless the employee already heard it closed (decideEnding).
              if (previous !== undefined) {
                const ending = decideEnding(
                  { previous: previous.snapshot, current: row, employee: previous.employee },
                  rules,
                );
                if (ending === null) localSkips.push('case-ended');
                else await enqueueAll(tx, [ending], notified);
                await tx.caseSnapshots.remove(tenant.id, row.id);
                snaps.delete(row.id);
              }
              continue;
            }
            const next = watch(row, previous);
            if (next === null) {
              localSkips.push('not-monitored');
              continue;
            }
            const decision = decideNotifications(
              { previous: previous?.snapshot ?? null, current: row, comments: [], employee: next.employee },
              rules,
            );
            if (decision.skipped !== null && previous === undefined) localSkips.push(decision.skipped.reason);
            await enqueueAll(tx, decision.notifications, notified);
            await tx.caseSnapshots.put(next);
            snaps.set(row.id, next);
          } else {
            const comment = event.row;
            if (
              !(await tx.processed.markProcessed(
                tenant.id,
                commentKey(comment),
                COMMENT_EVENT_KIND,
                comment.modstamp,
              ))
            ) {
              duplicates += 1;
              continue;
            }
            let holder = snaps.get(comment.caseId);
            if (holder === undefined) {
              const parent = fetched.get(comment.caseId) ?? inRound.get(comment.caseId);
              const first = parent === undefined ? null : watch(parent, undefined);
              if (first !== null) {
                await tx.caseSnapshots.put(first);
                snaps.set(first.caseId, first);
                holder = first;
              }
            }
            if (holder === undefined) {
              localSkips.push('not-monitored');
              continue;
            }
            const decision = decideNotifications(
              {
                previous: holder.snapshot,
                current: holder.snapshot,
                comments: [comment],
                employee: holder.employee,
              },
              rules,
            );
            for (const ignored of decision.ignoredComments)
              localSkips.push(ignored.why === 'internal' ? 'internal-comment' : 'own-write');
            if (decision.skipped !== null && decision.ignoredComments.length === 0)
              localSkips.push(decision.skipped.reason);
            await enqueueAll(tx, decision.notifications, notified);
          }
        }
        const nextCases =
          casesRead === null ? null : laterCursor(casesCursor, cursorWithin(casesRead, horizon));
        const nextComments =
          commentsRead === null ? null : laterCursor(commentsCursor, cursorWithin(commentsRead, horizon));
        if (nextCases !== null && nextCases !== casesCursor)
          await tx.cursors.save(tenant.id, CASES_STREAM, nextCases);
        if (nextComments !== null && nextComments !== commentsCursor)
          await tx.cursors.save(tenant.id, COMMENTS_STREAM, nextComments);
        return { notified, duplicates, localSkips, nextCases, nextComments };
      });
      casesCursor = result.nextCases;
      commentsCursor = result.nextComments;
      for (const key of roundKeys) handled.add(key);
      report.duplicates += result.duplicates;
      report.notified += result.notified.length;
      for (const why of result.localSkips) skip(why);
      sent.push(...result.notified);
      for (const setAside of [...(round.cases?.setAside ?? []), ...(round.comments?.setAside ?? [])])
        deps.log.warn(
          { tenantId: tenant.id, recordId: setAside.id },
          'record set aside: it does not match its schema',
        );
      if (tenant.settings.monitor.noteAfterNotify === true && deps.leaveNote !== undefined)
        for (const notification of sent) {
          // a case in the recycle bin takes no note
          if (notification.kind === 'case-ended') continue;
          try {
            await deps.leaveNote(tenant.id, notification);
          } catch (err) {
            // The employee was told; a missing note is worth a warning, never a second notification.
            deps.log.warn(
              { tenantId: tenant.id, caseId: notification.caseId, eventId: notification.eventId, err },
              'could not leave the internal note on the case',
            );
          }
        }
      if (options.signal?.aborted === true) break;
    }
    // Only a poll that read every stream to its end may bound the next re-read.
    if (options.signal?.aborted !== true)
      this.memory.set(tenant.id, {
        readAt: now.getTime(),
        handled: handled.size <= REMEMBERED_KEYS ? handled : new Set(),
      });
    report.calls =
      callsBefore === null || options.callCount === undefined ? null : options.callCount() - callsBefore;
    // The poll's start: the pacer's interval runs from one poll's start to the next (pollDue).
    const polledAt = now;
    await deps.stats.record({
      tenantId: tenant.id,
      polledAt: polledAt.toISOString(),
      lagMs: lagOf(casesCursor, commentsCursor, polledAt),
      watched: changed ? await deps.snapshots.count(tenant.id) : null,
      notified: report.notified,
      calls: report.calls ?? 0,
      skipped: report.skipped,
    });
    deps.log.info(
      {
        tenantId: tenant.id,
        rounds: report.rounds,
        caseRows: report.caseRows,
        commentRows: report.commentRows,
        notified: report.notified,
        duplicates: report.duplicates,
        skipped: report.skipped,
        calls: report.calls,
      },
      'tickets polled',
    );
    return report;
  }
}

/** The case's employee, resolved again only when what it rests on (Contact, supplied email) changed. */
function employeeOf(
  row: WatchedCase,
  previous: CaseSnapshot | undefined,
  contacts: readonly Employee[],
): CaseEmployee {
  if (
    previous !== undefined &&
    previous.snapshot.employeeId === row.employeeId &&
    previous.snapshot.suppliedEmail === row.suppliedEmail &&
    previous.employee.kind === 'employee'
  )
    return previous.employee;
  return employeeOfCase(row, contacts);
}

async function enqueueAll(
  tx: TransactionalRepositories,
  notifications: readonly TicketNotification[],
  into: TicketNotification[],
): Promise<void> {
  for (const notification of notifications) {
    const { created } = await tx.outbox.enqueue({
      tenantId: notification.tenantId,
      kind: TICKET_NOTIFICATION_KIND,
      idempotencyKey: notification.eventId,
      eventId: notification.eventId,
      orderingKey: notification.caseId,
      payload: notification,
    });
    if (created) into.push(notification);
  }
}

function lagOf(cases: SyncCursor | null, comments: SyncCursor | null, now: Date): number | null {
  const stamps = [cases, comments]
    .filter((c): c is SyncCursor => c !== null)
    .map((c) => Date.parse(c.modstamp));
  if (stamps.length === 0) return null;
  return Math.max(0, now.getTime() - Math.max(...stamps));
}
