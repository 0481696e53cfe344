// Background work on pg-boss: per-tenant recurring jobs, each on its own interval, one run at a time per
// (job, tenant), retried with backoff, gated by the tenant's API budget, and observable through status().
//
// Why a self-rescheduling chain rather than pg-boss cron: cron fires at most once a minute and every tenant on one
// expression, while tenants need their own intervals (15 min for A, 5 for B) that also stretch when the budget
// runs low. Each run first queues its successor (startAfter = now + interval × slowdown), so a crash mid-run never
// ends the chain, and a periodic reconcile re-seeds any chain that was lost.
//
// Why the 'stately' queue policy with the tenant as singletonKey: it admits one queued and one active job per
// tenant, so the successor can be queued while a run is active, but a slow run never overlaps itself and a
// re-seed never duplicates a waiting run.
//
// Why a wake-up timer beside pg-boss's polling: an idle worker looks for due jobs every pollingIntervalSeconds
// (2 s), so a successor due at T would start anywhere in T..T+2 s, and a 5 s tick (the ticket monitor at its floor)
// would become 5–7 s. The process that queues a successor also sets a timer for T and wakes one of the queue's
// workers then (pg-boss notifyWorker: it fetches at once instead of sleeping out its poll delay). Polling stays the
// backstop: a successor queued by a process that stopped is still fetched within the polling interval.
//
// Why the runner times a run itself, and pg-boss's expiry is the run's limit plus STOP_GRACE_SECONDS: when
// pg-boss's own timer (expireInSeconds, counted from the moment it calls our handler) runs out, it aborts the job's
// signal and fails the job in the same turn, and the retry is fetchable a moment later (retryDelay) by any worker
// of any process. It neither waits for the run to end nor keeps it from starting: the signal can be aborted while
// the run is still in its budget check, and a run then handed that signal never hears its abort. The second was
// seen on two PostgreSQL workers under load (about 1 test run in 3): the retry ran on the other worker beside a run
// that had started after its own timeout; the first follows from pg-boss's code for any run slower to stop than
// the retry delay. So the runner aborts the run at timeoutSeconds, never starts one whose time (or claim) is
// gone, and throws only once the run has ended; pg-boss's failure, and so the retry, comes after. The expiry stays
// the crash backstop: a worker that dies mid-run leaves the job active, and pg-boss's supervisor retries it once
// timeoutSeconds + STOP_GRACE_SECONDS have passed since it was fetched.

import { PgBoss, type ConstructorOptions, type Job } from 'pg-boss';

import type { BudgetDecision, BudgetGate, Clock, JobRunRepository } from '../domain/ports.js';
import { appError } from '../errors/app-error.js';
import { JOBS_REGISTERED_LATE, JOBS_RUN_TIMED_OUT, JOBS_UNKNOWN_JOB } from '../errors/codes/jobs.js';
import type { Logger } from '../logging/logger.js';

export interface JobContext {
  job: string;
  tenantId: string;
  /** 0 on the first attempt, then 1, 2… on pg-boss retries */
  retryCount: number;
  /** aborted when the run times out or the runner stops */
  signal: AbortSignal;
  log: Logger;
}

export interface JobDefinition {
  name: string;
  run(context: JobContext): Promise<void>;
  /** retries after a thrown error, with exponential backoff from retryDelaySeconds (default 2 and 30 s) */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /**
   * a run still active after this long is aborted through its signal and, once it has ended, failed (and retried),
   * freeing the tenant's slot (default 900 s). A run must stop on its signal: one still running STOP_GRACE_SECONDS
   * later is failed by pg-boss regardless, and its retry may then run beside it.
   */
  timeoutSeconds?: number;
}

export interface TenantJobStatus {
  job: string;
  tenantId: string;
  intervalMs: number;
  running: boolean;
  lastRunAt: string | null;
  lastFinishedAt: string | null;
  lastOutcome: 'ok' | 'error' | 'skipped' | null;
  lastError: string | null;
  nextRunAt: string | null;
  /** not running because of the API budget or a pause (REQUEST_LIMIT_EXCEEDED) */
  paused: boolean;
  slowdownFactor: number;
  /** why it is paused or slowed */
  reason: string | null;
  runs: number;
  failures: number;
}

export interface JobRunnerOptions {
  /** pg-boss constructor options for the store's database (store/job-backend.ts) */
  boss: ConstructorOptions;
  budget: BudgetGate;
  clock: Clock;
  log: Logger;
  /** how often idle workers look for due jobs (default 2 s; pg-boss minimum 0.5) */
  pollingIntervalSeconds?: number;
  /** how often lost chains are re-seeded (default 60 s) */
  reconcileIntervalMs?: number;
  /** workers are added in groups of this many as tenants are scheduled, so every tenant has a slot (default 4) */
  slotsPerWorker?: number;
  /** wake a worker when a queued successor is due (default true); false: pg-boss's polling alone picks it up */
  wakeWhenDue?: boolean;
  /**
   * The store's record of each (job, tenant)'s last run. With it, a run claims its slot there first, so a run
   * queued twice by two workers (both saw a new tenant) runs once; and every process reports the same last run.
   */
  runs?: JobRunRepository;
}

interface JobData {
  tenantId: string;
}

interface OnceData {
  id: string;
}

/** A queue of one-off runs (on-demand jobs): each id sent is handed to one worker, once, with no retry. */
interface OnceQueue {
  name: string;
  handler(id: string, signal: AbortSignal): Promise<void>;
  timeoutSeconds: number;
}

interface Schedule {
  intervalMs: number;
  status: TenantJobStatus;
}

/** How long after a successor's start time its worker is woken (the database and this process may disagree). */
const WAKE_MARGIN_MS = 30;
/**
 * How long a run aborted at its timeout has to end before pg-boss expires its job and may hand the retry out; also
 * covers the moment between pg-boss fetching the job (when its expiry starts) and calling the handler.
 */
const STOP_GRACE_SECONDS = 10;
const key = (job: string, tenantId: string): string => `${job}\u0000${tenantId}`;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class JobRunner {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly onceQueues = new Map<string, OnceQueue>();
  private readonly schedules = new Map<string, Schedule>();
  /** worker slots registered per job, grown so that every scheduled tenant can run at the same time */
  private readonly slots = new Map<string, number>();
  /** the pg-boss workers of each job's queue (one per `work` call), woken in turn when a successor is due */
  private readonly workerIds = new Map<string, string[]>();
  private wakes = 0;
  private readonly wakeTimers = new Set<NodeJS.Timeout>();
  private reconcileTimer: NodeJS.Timeout | null = null;
  private started = false;
  private readonly log: Logger;

  constructor(private readonly options: JobRunnerOptions) {
    this.log = options.log.child({ component: 'jobs' });
    this.boss = new PgBoss({ ...options.boss, schedule: false });
    // pg-boss reports maintenance and worker errors here; without a listener EventEmitter would throw them.
    this.boss.on('error', (err) => this.log.error({ err: message(err) }, 'job queue error'));
  }

  /** Declares a job kind. Register every kind before start(). */
  register(definition: JobDefinition): void {
    if (this.started) throw appError(JOBS_REGISTERED_LATE, { params: { job: definition.name } });
    this.definitions.set(definition.name, definition);
  }

  /**
   * Declares a queue of one-off runs: `runOnce(name, id)` hands `id` to `handler` on one worker of any process
   * sharing the store. No retry: the handler records its own outcome (on-demand jobs keep theirs in the store).
   */
  registerOnce(
    name: string,
    handler: (id: string, signal: AbortSignal) => Promise<void>,
    options: { timeoutSeconds?: number } = {},
  ): void {
    if (this.started) throw appError(JOBS_REGISTERED_LATE, { params: { job: name } });
    this.onceQueues.set(name, { name, handler, timeoutSeconds: options.timeoutSeconds ?? 3_600 });
  }

  /** Queues one run of `id` on the one-off queue `name`. */
  async runOnce(name: string, id: string): Promise<void> {
    if (!this.onceQueues.has(name))
      throw appError(JOBS_UNKNOWN_JOB, {
        params: { job: name, known: [...this.onceQueues.keys()].join(', ') },
      });
    await this.boss.send(name, { id } satisfies OnceData);
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const queue of this.onceQueues.values()) {
      await this.boss.createQueue(queue.name, {
        policy: 'standard',
        retryLimit: 0,
        expireInSeconds: queue.timeoutSeconds,
      });
      await this.boss.work<OnceData>(
        queue.name,
        {
          batchSize: 1,
          localConcurrency: this.options.slotsPerWorker ?? 4,
          pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        },
        async (jobs) => {
          for (const job of jobs) await queue.handler(job.data.id, job.signal);
        },
      );
    }
    for (const definition of this.definitions.values()) {
      await this.boss.createQueue(definition.name, {
        policy: 'stately',
        retryLimit: definition.retryLimit ?? 2,
        retryDelay: definition.retryDelaySeconds ?? 30,
        retryBackoff: true,
        expireInSeconds: expiryOf(definition),
      });
      this.slots.set(definition.name, 0);
    }
    this.started = true;
    const every = this.options.reconcileIntervalMs ?? 60_000;
    this.reconcileTimer = setInterval(() => void this.reconcile(), every);
    this.reconcileTimer.unref();
  }

  /**
   * Runs `job` for `tenantId` every `intervalMs` (first run now). Calling it again changes the interval.
   * Every process sharing the store should schedule the same tenants: a run fetched by a process that does not
   * know the (job, tenant) ends that chain there.
   */
  async scheduleTenant(job: string, tenantId: string, intervalMs: number): Promise<void> {
    if (!this.definitions.has(job))
      throw appError(JOBS_UNKNOWN_JOB, { params: { job, known: [...this.definitions.keys()].join(', ') } });
    const existing = this.schedules.get(key(job, tenantId));
    if (existing) {
      existing.intervalMs = intervalMs;
      existing.status.intervalMs = intervalMs;
    } else {
      this.schedules.set(key(job, tenantId), { intervalMs, status: emptyStatus(job, tenantId, intervalMs) });
    }
    await this.ensureCapacity(job);
    await this.enqueue(job, tenantId, this.options.clock.now());
  }

  /** Stops scheduling `job` for the tenant (every job when `job` is omitted), e.g. when the tenant is removed. */
  async unscheduleTenant(tenantId: string, job?: string): Promise<void> {
    for (const [k, schedule] of this.schedules) {
      if (schedule.status.tenantId !== tenantId || (job !== undefined && schedule.status.job !== job))
        continue;
      this.schedules.delete(k);
      const queued = await this.boss.findJobs<JobData>(schedule.status.job, { key: tenantId, queued: true });
      if (queued.length > 0)
        await this.boss.cancel(
          schedule.status.job,
          queued.map((j) => j.id),
        );
    }
  }

  /** Per tenant and job: last run, next run, last error, and whether it is paused or slowed and why. */
  status(): TenantJobStatus[] {
    return [...this.schedules.values()]
      .map((s) => ({ ...s.status }))
      .sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.job.localeCompare(b.job));
  }

  async stop(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = null;
    for (const timer of this.wakeTimers) clearTimeout(timer);
    this.wakeTimers.clear();
    // pg-boss closes only the pool it opened itself; a PGlite instance passed in stays open (the store owns it).
    await this.boss.stop({ graceful: true, close: true, timeout: 10_000 });
  }

  /** Re-seeds any chain that was lost (its queued successor deleted, or a crash before it was queued). */
  private async reconcile(): Promise<void> {
    for (const schedule of this.schedules.values()) {
      const { job, tenantId } = schedule.status;
      try {
        await this.enqueue(job, tenantId, this.options.clock.now());
      } catch (err) {
        this.log.warn({ job, tenantId, err: message(err) }, 'job reconcile failed');
      }
    }
  }

  /** Queues a run; the stately policy turns this into a no-op when one is already waiting for the tenant. */
  private async enqueue(job: string, tenantId: string, at: Date): Promise<boolean> {
    const definition = this.definitions.get(job);
    const id = await this.boss.send(job, { tenantId } satisfies JobData, {
      singletonKey: tenantId,
      startAfter: at,
      // On each job as well as on the queue: createQueue leaves a queue made by an older version as it was, and
      // an expiry no longer than the run's timeout would let the retry start beside the run (see the top).
      ...(definition === undefined ? {} : { expireInSeconds: expiryOf(definition) }),
    });
    return id !== null;
  }

  /** Wakes one of the job's workers (in turn) when `at` has come, so a successor starts on time (see the top). */
  private wakeAt(job: string, at: Date): void {
    if (this.options.wakeWhenDue === false) return;
    const ids = this.workerIds.get(job) ?? [];
    if (ids.length === 0) return;
    const id = ids[this.wakes++ % ids.length] ?? '';
    // a little after `at`: the database's clock decides when the job is fetchable
    const delay = Math.max(0, at.getTime() - this.options.clock.now().getTime()) + WAKE_MARGIN_MS;
    const timer = setTimeout(() => {
      this.wakeTimers.delete(timer);
      this.boss.notifyWorker(id);
    }, delay);
    timer.unref();
    this.wakeTimers.add(timer);
  }

  private async ensureCapacity(job: string): Promise<void> {
    const tenants = [...this.schedules.values()].filter((s) => s.status.job === job).length;
    const perWorker = this.options.slotsPerWorker ?? 4;
    const definition = this.definitions.get(job);
    if (definition === undefined) return;
    while ((this.slots.get(job) ?? 0) < tenants) {
      const workerId = await this.boss.work<JobData>(
        job,
        {
          batchSize: 1,
          localConcurrency: perWorker,
          pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        },
        (jobs) => this.handle(definition, jobs),
      );
      this.workerIds.set(job, [...(this.workerIds.get(job) ?? []), workerId]);
      this.slots.set(job, (this.slots.get(job) ?? 0) + perWorker);
    }
  }

  private async handle(definition: JobDefinition, jobs: Job<JobData>[]): Promise<void> {
    for (const job of jobs) await this.runOne(definition, job);
  }

  /** Runs the job under its own timeout, strictly inside pg-boss's expiry (see the top). */
  private async runOne(definition: JobDefinition, job: Job<JobData>): Promise<void> {
    const { tenantId } = job.data;
    const log = this.log.child({ job: definition.name, tenantId, jobId: job.id });
    const seconds = timeoutOf(definition);
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      log.warn({ timeoutSeconds: seconds }, 'job timed out: stopping it');
      deadline.abort(
        appError(JOBS_RUN_TIMED_OUT, { params: { job: definition.name, tenant: tenantId, seconds } }),
      );
    }, seconds * 1000);
    try {
      await this.attempt(definition, job, AbortSignal.any([job.signal, deadline.signal]), log);
    } finally {
      clearTimeout(timer);
    }
  }

  private async attempt(
    definition: JobDefinition,
    job: Job<JobData>,
    signal: AbortSignal,
    log: Logger,
  ): Promise<void> {
    const { tenantId } = job.data;
    const schedule = this.schedules.get(key(definition.name, tenantId));
    if (schedule === undefined) {
      log.info({}, 'job dropped: tenant not scheduled here');
      return;
    }
    const status = schedule.status;
    const now = this.options.clock.now();
    const decision = await this.checkBudget(tenantId);
    status.paused = !decision.allow;
    status.slowdownFactor = decision.allow ? Math.max(1, decision.slowdownFactor) : 1;
    status.reason = decision.reason;

    const next = decision.allow
      ? new Date(now.getTime() + schedule.intervalMs * status.slowdownFactor)
      : new Date(
          Math.max(
            now.getTime() + schedule.intervalMs,
            decision.resumeAt === undefined ? 0 : Date.parse(decision.resumeAt),
          ),
        );
    if (await this.enqueue(definition.name, tenantId, next)) {
      status.nextRunAt = next.toISOString();
      this.wakeAt(definition.name, next);
    }

    if (!decision.allow) {
      status.lastOutcome = 'skipped';
      log.warn({ reason: decision.reason, nextRunAt: status.nextRunAt }, 'job skipped: API budget');
      return;
    }
    if (status.slowdownFactor > 1)
      log.info({ reason: decision.reason, slowdownFactor: status.slowdownFactor }, 'job slowed: API budget');

    // A retry follows a failure of this same run, so it is no duplicate; a fresh run must not start within half an
    // interval of the last one (another worker queued it too).
    const minGapMs = job.retryCount > 0 ? 0 : (schedule.intervalMs * status.slowdownFactor) / 2;
    if (this.options.runs && !(await this.options.runs.start(definition.name, tenantId, now, minGapMs))) {
      log.info({}, 'job run skipped: another worker ran it moments ago');
      return;
    }
    status.running = true;
    status.lastRunAt = now.toISOString();
    status.runs += 1;
    let failure: string | null = null;
    try {
      // The budget check and the claims above take time of the run's own: once its timeout (or pg-boss's claim)
      // is gone, the job is about to be failed and retried, and a run started now would overlap the retry.
      signal.throwIfAborted();
      // Awaited to its end, also after an abort: the failure pg-boss records from the throw below (which makes
      // the retry fetchable) must come after the run has stopped, not when it was asked to.
      await definition.run({
        job: definition.name,
        tenantId,
        retryCount: job.retryCount,
        signal,
        log,
      });
      status.lastOutcome = 'ok';
      status.lastError = null;
    } catch (err) {
      status.lastOutcome = 'error';
      status.lastError = message(err);
      failure = status.lastError;
      status.failures += 1;
      log.warn({ err: status.lastError, retryCount: job.retryCount }, 'job failed');
      // Rethrown so pg-boss records the failure and retries with backoff; other tenants' runs are unaffected.
      throw err;
    } finally {
      status.running = false;
      const finished = this.options.clock.now();
      status.lastFinishedAt = finished.toISOString();
      await this.options.runs?.finish(definition.name, tenantId, finished, failure).catch((err: unknown) => {
        log.warn({ err: message(err) }, 'could not record the job run');
      });
    }
  }

  private async checkBudget(tenantId: string): Promise<BudgetDecision> {
    try {
      return await this.options.budget.check(tenantId);
    } catch (err) {
      // Unknown budget means unknown spending: skip this run rather than risk the tenant's allocation.
      return { allow: false, slowdownFactor: 1, reason: `budget check failed: ${message(err)}` };
    }
  }
}

/** how long a run may take before the runner stops it */
function timeoutOf(definition: JobDefinition): number {
  return definition.timeoutSeconds ?? 900;
}

/** pg-boss's expiry for a job's runs: the run's own timeout plus the time it has to stop (see the top). */
function expiryOf(definition: JobDefinition): number {
  return timeoutOf(definition) + STOP_GRACE_SECONDS;
}

function emptyStatus(job: string, tenantId: string, intervalMs: number): TenantJobStatus {
  return {
    job,
    tenantId,
    intervalMs,
    running: false,
    lastRunAt: null,
    lastFinishedAt: null,
    lastOutcome: null,
    lastError: null,
    nextRunAt: null,
    paused: false,
    slowdownFactor: 1,
    reason: null,
    runs: 0,
    failures: 0,
  };
}
