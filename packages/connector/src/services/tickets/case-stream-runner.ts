// Streams each tenant's Case changes (Change Data Capture) into the ticket monitor, where the org allows it.
//
// - One stream per tenant per deployment: a worker streams a tenant only while it holds the tenant's stream lease,
//   renewed every `renewMs`; another worker takes over when it ends (a crashed holder's lease runs out).
// - A change event becomes one monitor round of the Cases it names, read back by id (one query): the same
//   SOQL, mapping, ledger keys and notification rules as a poll, so whichever source sees a change first, the
//   employee is told once with the same event id, and the other source's copy is dropped by the ledger.
// - The event's replay id is saved in the round's unit of work (with the ledger rows, outbox messages and snapshots
//   it produced), or on its own when the event produced no work; a restart resumes after it.
// - Rounds run under the tenant's poll lease, so a stream round and a poll never work on one tenant at once.
// - A gap (replay id past retention, a client forgotten before its first event, an event whose round failed) is
//   healed by a poll at once; polling otherwise continues at the safety-net pace (poll-pacer.ts).
// - A tenant whose org refuses the subscription (CDC not selected for Case, no View All) is asked again after
//   `recheckMs`; it is polled as before meanwhile.
// - Every Salesforce REST read a change event causes (the Cases by id, a healing poll) asks the tenant's API budget
//   gate first, as a scheduled job does, and is counted and audited by the client like every call. A stopped
//   budget (share spent, org allocation spent, a REQUEST_LIMIT_EXCEEDED pause) leaves the event unrelayed and its
//   position unsaved: the safety-net poll, gated the same way, covers it once the budget allows.
// - A tenant the operator turned streaming off for (CASEBRIDGE_CASE_STREAM, `monitor.caseStream`) is not streamed;
//   a running stream ends at the next tick, and the lease with it, so the pacer polls at the normal pace again.

import type {
  BudgetGate,
  Clock,
  IdGenerator,
  SyncCursorRepository,
  TenantRecord,
  UnitOfWork,
} from '../../domain/ports.js';
import type {
  CaseChangeRound,
  CaseChangeSource,
  WatchedCase,
} from '../../domain/tickets/case-change-source.js';
import type { CaseStreamLeaseRepository } from '../../domain/tickets/case-stream-ports.js';
import type { MonitorStatsRepository, PollLeaseRepository } from '../../domain/tickets/monitor-ports.js';
import type { CaseStreamSwitch } from '../../domain/tickets/case-stream-switch.js';
import type { Logger } from '../../logging/logger.js';
import {
  CASE_EVENTS_STREAM,
  positionCursor,
  positionOf,
  type StreamPosition,
} from './case-stream-position.js';
import { MONITOR_LEASE_MS, TICKET_MONITOR_JOB } from './monitor-job.js';
import { CASES_STREAM, TicketMonitor, type TicketMonitorDeps } from './ticket-monitor.js';
import { appError } from '../../errors/app-error.js';
import { JOBS_WORKER_STOPPING } from '../../errors/codes/jobs.js';

/** the poll lease's name (monitor-job.ts takes it by the job's name) */
const POLL_LEASE = TICKET_MONITOR_JOB;
export const STREAM_LEASE_MS = 60_000;
export const STREAM_RENEW_MS = 20_000;
export const STREAM_RECHECK_MS = 3_600_000;
const POLL_LEASE_RETRY_MS = 100;

/** what a stream reports of one Case change event */
export interface StreamedChange {
  readonly caseIds: readonly string[];
  readonly committedAt: number;
  readonly replayId: number;
}

export interface CaseStreamEvents {
  /** the saved replay id to resume after, or null for new events only */
  readonly replayFrom: number | null;
  onChange(change: StreamedChange): Promise<void>;
  onGap(): void;
  onSubscribed(): void;
}

export interface CaseStreamHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface CaseStreamRunnerDeps {
  tenants: () => Promise<readonly TenantRecord[]>;
  leases: CaseStreamLeaseRepository;
  pollLeases: PollLeaseRepository;
  cursors: SyncCursorRepository;
  /** the ticket monitor's dependencies (the stream's rounds use them, with the replay id saved in each round) */
  monitor: TicketMonitorDeps;
  /** the tenant's polling source (reads Cases by id for a stream round) and its count of Salesforce calls */
  sourceFor(tenant: TenantRecord): { source: CaseChangeSource; callCount: () => number };
  /** whether the operator allows streaming the tenant (domain/tickets/case-stream-switch.ts); absent: allowed */
  switchFor?(tenant: TenantRecord): CaseStreamSwitch;
  /** whether the org lets the service user subscribe to Case change events, and if not why */
  availability(tenant: TenantRecord): Promise<{ usable: boolean; reason: string }>;
  /** a stream of the tenant's Case change events (salesforce/cdc/case-change-stream.ts in production) */
  open(tenant: TenantRecord, events: CaseStreamEvents): CaseStreamHandle;
  /** the tenant's API budget (jobs/budget-gate.ts); absent: every read allowed */
  budget?: BudgetGate;
  ids: IdGenerator;
  clock: Clock;
  log: Logger;
  leaseMs?: number;
  renewMs?: number;
  recheckMs?: number;
}

interface Running {
  tenant: TenantRecord;
  handle: CaseStreamHandle;
  /** one round at a time per tenant, in event order */
  queue: Promise<void>;
  started: boolean;
}

/** Stats of stream rounds are not polls: the pacer's "last poll" and "calls a poll" stay the poller's. */
const NO_STATS: MonitorStatsRepository = {
  record: () => Promise.resolve(),
  get: () => Promise.resolve(null),
};

export class CaseStreamRunner {
  private readonly owner: string;
  private readonly running = new Map<string, Running>();
  private readonly refusedUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly poller: TicketMonitor;

  constructor(private readonly deps: CaseStreamRunnerDeps) {
    this.owner = deps.ids.next();
    this.poller = new TicketMonitor(deps.monitor);
  }

  /** tenants this worker streams now (subscribed at least once) */
  streaming(): string[] {
    return [...this.running.values()].filter((r) => r.started).map((r) => r.tenant.id);
  }

  /** the first tick runs in the background: probing an unreachable org must not hold the worker's start */
  start(): void {
    this.stopped = false;
    this.ticking = this.tick();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, this.deps.renewMs ?? STREAM_RENEW_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // a tick waiting on a probe ends its own stream when it sees `stopped`; do not wait for its timeout
    await Promise.race([this.ticking, new Promise((done) => setTimeout(done, 2_000).unref())]);
    await Promise.all([...this.running.keys()].map((id) => this.end(id)));
  }

  /** takes, renews or gives up each tenant's stream lease, and starts or stops its stream to match */
  async tick(): Promise<void> {
    const { deps } = this;
    let tenants: readonly TenantRecord[];
    try {
      tenants = await deps.tenants();
    } catch (err) {
      deps.log.warn({ err }, 'could not list tenants for the Case change stream');
      return;
    }
    const listed = new Set(tenants.map((t) => t.id));
    for (const id of this.running.keys()) if (!listed.has(id)) await this.end(id);
    for (const tenant of tenants) {
      if (this.stopped) return;
      try {
        await this.keep(tenant);
      } catch (err) {
        deps.log.warn({ tenantId: tenant.id, err }, 'Case change stream: could not keep the stream');
      }
    }
  }

  private async keep(tenant: TenantRecord): Promise<void> {
    const { deps } = this;
    const now = deps.clock.now().getTime();
    const leaseMs = deps.leaseMs ?? STREAM_LEASE_MS;
    const current = this.running.get(tenant.id);
    const allowed = deps.switchFor?.(tenant) ?? { on: true };
    if (!allowed.on) {
      if (current !== undefined) {
        deps.log.info({ tenantId: tenant.id, reason: allowed.reason }, 'Case change stream turned off');
        await this.end(tenant.id);
      }
      return;
    }
    if (current !== undefined) {
      current.tenant = tenant;
      if (!(await deps.leases.hold(tenant.id, this.owner, leaseMs))) {
        deps.log.warn({ tenantId: tenant.id }, 'Case change stream lease lost: another worker streams now');
        await this.end(tenant.id, { release: false });
      }
      return;
    }
    if ((this.refusedUntil.get(tenant.id) ?? 0) > now) return;
    if (!(await deps.leases.hold(tenant.id, this.owner, leaseMs))) return;
    const available = await deps.availability(tenant).catch((err: unknown) => {
      deps.log.warn({ tenantId: tenant.id, err }, 'Case change stream: could not ask the Streaming API');
      return { usable: false, reason: 'the Streaming API did not answer' };
    });
    if (!available.usable) {
      this.refusedUntil.set(tenant.id, now + (deps.recheckMs ?? STREAM_RECHECK_MS));
      await deps.leases.release(tenant.id, this.owner);
      deps.log.info({ tenantId: tenant.id, reason: available.reason }, 'Case changes stay polled');
      return;
    }
    // the probe may outlast a short lease: hold it again before opening, or let the worker that took it stream
    if (!(await deps.leases.hold(tenant.id, this.owner, leaseMs))) return;
    const saved = positionOf(await deps.cursors.get(tenant.id, CASE_EVENTS_STREAM));
    const entry: Running = {
      tenant,
      queue: Promise.resolve(),
      started: false,
      handle: deps.open(tenant, {
        replayFrom: saved?.replayId ?? null,
        onChange: (change) => this.enqueue(entry, () => this.apply(entry.tenant, change)),
        onGap: () => void this.enqueue(entry, () => this.heal(entry.tenant, null)),
        onSubscribed: () => deps.log.info({ tenantId: tenant.id }, 'Case change stream subscribed'),
      }),
    };
    if (this.stopped) return await deps.leases.release(tenant.id, this.owner);
    this.running.set(tenant.id, entry);
    await entry.handle.start();
    entry.started = true;
    await deps.leases.hold(tenant.id, this.owner, leaseMs);
    if (this.stopped) return await this.end(tenant.id);
    deps.log.info(
      { tenantId: tenant.id, replayFrom: saved?.replayId ?? null },
      'Case changes stream; Cases are polled as a safety net',
    );
  }

  private async end(tenantId: string, options: { release?: boolean } = {}): Promise<void> {
    const entry = this.running.get(tenantId);
    if (entry === undefined) return;
    this.running.delete(tenantId);
    await entry.handle.stop().catch(() => undefined);
    await entry.queue;
    if (options.release !== false)
      await this.deps.leases.release(tenantId, this.owner).catch(() => undefined);
  }

  private enqueue(entry: Running, work: () => Promise<void>): Promise<void> {
    const next = entry.queue.then(work);
    entry.queue = next;
    return next;
  }

  /** one event: its Cases read back by id and relayed as one monitor round, its replay id saved with the work */
  private async apply(tenant: TenantRecord, change: StreamedChange): Promise<void> {
    const { deps } = this;
    const position: StreamPosition = { replayId: change.replayId, committedAt: change.committedAt };
    deps.log.debug({ tenantId: tenant.id, replayId: change.replayId }, 'Case change event');
    if (!(await this.budgetAllows(tenant.id))) return;
    try {
      const cursors = await deps.cursors.list(tenant.id);
      // Never polled: a first poll (from the look-back) sets the cursors and covers this change too.
      if (!cursors.some((c) => c.stream === CASES_STREAM)) return await this.heal(tenant, position);
      const { source, callCount } = deps.sourceFor(tenant);
      let saved = false;
      const unitOfWork: UnitOfWork = {
        run: (fn) =>
          deps.monitor.unitOfWork.run(async (tx) => {
            const result = await fn(tx);
            await tx.cursors.save(tenant.id, CASE_EVENTS_STREAM, positionCursor(position));
            saved = true;
            return result;
          }),
      };
      const monitor = new TicketMonitor({ ...deps.monitor, unitOfWork, stats: NO_STATS });
      await this.underPollLease(tenant.id, async () => {
        const rows = await source.casesByIds(change.caseIds);
        await monitor.poll(tenant, streamedRound(source, rows), { callCount });
      });
      // nothing to relay (a case outside the filter, or one a poll already relayed): the position moves alone
      if (!saved) await deps.cursors.save(tenant.id, CASE_EVENTS_STREAM, positionCursor(position));
    } catch (err) {
      deps.log.warn(
        { tenantId: tenant.id, replayId: change.replayId, err },
        'Case change event not relayed: polling to heal',
      );
      await this.heal(tenant, position);
    }
  }

  /** a poll now, for what the stream may have missed; the position (if any) is saved once it is covered */
  private async heal(tenant: TenantRecord, position: StreamPosition | null): Promise<void> {
    const { deps } = this;
    if (!(await this.budgetAllows(tenant.id))) return;
    try {
      const { source, callCount } = deps.sourceFor(tenant);
      await this.underPollLease(tenant.id, () =>
        this.poller.poll(tenant, source, { callCount }).then(() => undefined),
      );
      if (position !== null) await deps.cursors.save(tenant.id, CASE_EVENTS_STREAM, positionCursor(position));
    } catch (err) {
      // The next scheduled poll covers it; the saved position stays behind, so a restart replays from there.
      deps.log.warn({ tenantId: tenant.id, err }, 'healing poll failed: the next poll covers it');
    }
  }

  /** whether the tenant's API budget allows the reads of a round now (a failed check allows nothing) */
  private async budgetAllows(tenantId: string): Promise<boolean> {
    const { budget, log } = this.deps;
    if (budget === undefined) return true;
    const decision = await budget.check(tenantId).catch((err: unknown) => ({
      allow: false,
      reason: `budget check failed: ${err instanceof Error ? err.message : String(err)}`,
    }));
    if (!decision.allow)
      log.warn(
        { tenantId, reason: decision.reason },
        'Case change event left to the safety-net poll: API budget',
      );
    return decision.allow;
  }

  /** waits for the poll lease (a poll in progress ends within seconds), runs `fn`, gives it back */
  private async underPollLease(tenantId: string, fn: () => Promise<void>): Promise<void> {
    const { deps } = this;
    const owner = deps.ids.next();
    while (!(await deps.pollLeases.acquire(tenantId, POLL_LEASE, owner, MONITOR_LEASE_MS))) {
      if (this.stopped)
        throw appError(JOBS_WORKER_STOPPING, { params: { work: 'a case change stream round' } });
      await new Promise((done) => setTimeout(done, POLL_LEASE_RETRY_MS));
    }
    try {
      await fn();
    } finally {
      await deps.pollLeases.release(tenantId, POLL_LEASE, owner).catch(() => undefined);
    }
  }
}

/**
 * A source whose only round is these Cases. Its page's cursor is the earliest position, so the poll cursors stay
 * where the poller left them (the poller's keyset read is the safety net and must not skip anything).
 */
function streamedRound(base: CaseChangeSource, rows: WatchedCase[]): CaseChangeSource {
  return {
    changesSince: () => oneRound({ cases: { items: rows, cursor: EARLIEST, setAside: [] }, comments: null }),
    casesByIds: (ids) => base.casesByIds(ids),
    contactsByEmails: (emails) => base.contactsByEmails(emails),
    serviceUserId: () => base.serviceUserId(),
  };
}

async function* oneRound(round: CaseChangeRound): AsyncIterable<CaseChangeRound> {
  yield await Promise.resolve(round);
}

const EARLIEST = { modstamp: new Date(0).toISOString(), id: '' };

/** for the poll pacer: whether some worker streams the tenant's Case changes, and when the last one committed */
export async function caseStreamState(
  deps: { leases: Pick<CaseStreamLeaseRepository, 'held'>; cursors: Pick<SyncCursorRepository, 'get'> },
  tenantId: string,
): Promise<{ streaming: boolean; lastChangeAt: Date | null }> {
  const [streaming, cursor] = await Promise.all([
    deps.leases.held(tenantId),
    deps.cursors.get(tenantId, CASE_EVENTS_STREAM),
  ]);
  const position = positionOf(cursor);
  return { streaming, lastChangeAt: position === null ? null : new Date(position.committedAt) };
}
