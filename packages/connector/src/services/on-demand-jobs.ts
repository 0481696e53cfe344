// On-demand jobs: "run job KIND for tenant T now" returns a job id at once; the run's state, progress, summary or
// coded error live in the store, so the CLI, the status API and every worker see the same job. Where the run
// happens is the dispatcher's choice: in this process (the CLI holding the store) or on any worker of the
// running service (the job runner's queue), and the claim in the store lets only one of them run it.

import type { Clock, TenantRepository } from '../domain/ports.js';
import type { JobError, JobProgress, JobRecord, JobRepository, JobSummary } from '../domain/job-state.js';
import { appError, isAppError } from '../errors/app-error.js';
import {
  JOBS_NOT_FOUND,
  JOBS_RUN_FAILED,
  JOBS_RUN_LOST,
  JOBS_RUN_TIMED_OUT,
  JOBS_WORKER_STOPPING,
} from '../errors/codes/jobs.js';
import { TENANT_NOT_FOUND } from '../errors/codes/tenant.js';
import type { Logger } from '../logging/logger.js';
import type { JobKinds } from './job-kinds.js';

/** Finished jobs are kept this long, so `jobs show` and the status API still answer for last month's runs. */
export const JOB_RETENTION_MS = 30 * 86_400_000;

/** How a queued job reaches a worker. */
export type JobDispatch = (job: JobRecord) => Promise<void>;

export interface OnDemandJobsDeps {
  jobs: JobRepository;
  tenants: TenantRepository;
  kinds: JobKinds;
  clock: Clock;
  log: Logger;
  /** a new, unguessable job id */
  newId(): string;
  /** what an unexpected (uncoded) failure says, secret-scrubbed (the composition root passes the scrubber) */
  describe(err: unknown): string;
  /** a running job renews its lease this often ×3; one not renewed for a whole lease lost its worker (60 s) */
  leaseMs?: number;
  /** at most one progress write per this many ms; the last report always lands (1,000 ms) */
  progressEveryMs?: number;
}

export class OnDemandJobs {
  private readonly inProcess: JobDispatch = (job) => Promise.resolve(this.runHere(job.id));
  private dispatch = this.inProcess;
  /** runs in this process, aborted and awaited by stop() */
  private readonly local = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: OnDemandJobsDeps) {}

  /** Sends queued jobs elsewhere from now on (the running service's job runner); null: run them here again. */
  useDispatcher(dispatch: JobDispatch | null): void {
    this.dispatch = dispatch ?? this.inProcess;
  }

  /**
   * Queues `kind` for the tenant and dispatches it; returns the job at once. When the same kind is already queued
   * or running for the tenant, that job is returned instead of starting a second one.
   */
  async start(tenantId: string, kind: string): Promise<JobRecord> {
    this.deps.kinds.get(kind);
    if ((await this.deps.tenants.get(tenantId)) === null)
      throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId } });
    for (const active of await this.deps.jobs.recent(5, tenantId))
      if (active.kind === kind) await this.failIfLost(active);
    const { job, created } = await this.deps.jobs.create({
      id: this.deps.newId(),
      kind,
      tenantId,
      requestedAt: this.deps.clock.now(),
    });
    if (created) {
      this.deps.log.info({ jobId: job.id, job: kind, tenantId }, 'job queued');
      await this.dispatch(job);
    }
    return job;
  }

  /** The job as the store has it; a running job whose worker stopped renewing its lease is failed first. */
  async get(id: string): Promise<JobRecord> {
    const job = await this.deps.jobs.get(id);
    if (job === null) throw appError(JOBS_NOT_FOUND, { params: { jobId: id } });
    return (await this.failIfLost(job)) ? ((await this.deps.jobs.get(id)) ?? job) : job;
  }

  /** Forgets jobs that ended more than `retentionMs` ago (the service calls it with its hourly purge). */
  purge(retentionMs = JOB_RETENTION_MS): Promise<number> {
    return this.deps.jobs.purgeFinishedBefore(new Date(this.deps.clock.now().getTime() - retentionMs));
  }

  recent(limit: number, tenantId?: string): Promise<JobRecord[]> {
    return this.deps.jobs.recent(limit, tenantId);
  }

  /**
   * Runs a queued job here, if this process claims it first (a job handed to two workers runs once).
   * `signal` (the job runner's) aborts the run along with the kind's own timeout.
   */
  async execute(id: string, signal?: AbortSignal): Promise<void> {
    const job = await this.deps.jobs.get(id);
    if (job === null) return;
    const log = this.deps.log.child({ jobId: id, job: job.kind, tenantId: job.tenantId });
    const leaseMs = this.deps.leaseMs ?? 60_000;
    const leaseUntil = (): Date => new Date(this.deps.clock.now().getTime() + leaseMs);
    if (!(await this.deps.jobs.claim(id, this.deps.clock.now(), leaseUntil()))) {
      log.info({}, 'job not run here: another worker has it');
      return;
    }
    const controller = new AbortController();
    const abort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', abort, { once: true });
    let timedOut = false;
    const writer = new ProgressWriter(
      (progress) => this.deps.jobs.progress(id, progress, leaseUntil()),
      this.deps.clock,
      this.deps.progressEveryMs ?? 1_000,
      leaseMs / 3,
      log,
    );
    let timer: NodeJS.Timeout | undefined;
    let outcome: { state: 'succeeded'; summary: JobSummary } | { state: 'failed'; error: JobError };
    log.info({}, 'job started');
    try {
      const kind = this.deps.kinds.get(job.kind);
      const seconds = kind.timeoutSeconds ?? 900;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(
          appError(JOBS_RUN_TIMED_OUT, { params: { job: job.kind, tenant: job.tenantId, seconds } }),
        );
      }, seconds * 1000);
      const summary = await kind.run({
        job: job.kind,
        tenantId: job.tenantId,
        signal: controller.signal,
        log,
        progress: (progress) => writer.report(progress),
      });
      outcome = { state: 'succeeded', summary: summary ?? {} };
      log.info({}, 'job succeeded');
    } catch (err) {
      outcome = { state: 'failed', error: this.toJobError(err, job, timedOut) };
      log.warn({ code: outcome.error.code, err: this.deps.describe(err) }, 'job failed');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      await writer.close();
    }
    await this.deps.jobs.finish(id, outcome, writer.latest, this.deps.clock.now());
  }

  /** Aborts the runs of this process and waits for them to record how they ended. */
  async stop(): Promise<void> {
    for (const [id, run] of this.local)
      run.controller.abort(appError(JOBS_WORKER_STOPPING, { params: { work: `job ${id}` } }));
    await Promise.all([...this.local.values()].map((run) => run.done));
  }

  private runHere(id: string): void {
    const controller = new AbortController();
    const done = this.execute(id, controller.signal)
      .catch((err: unknown) =>
        this.deps.log.error({ jobId: id, err: this.deps.describe(err) }, 'job crashed'),
      )
      .finally(() => this.local.delete(id));
    this.local.set(id, { controller, done });
  }

  private async failIfLost(job: JobRecord): Promise<boolean> {
    if (job.state !== 'running' || job.leaseUntil === null) return false;
    if (Date.parse(job.leaseUntil) >= this.deps.clock.now().getTime()) return false;
    const lost = appError(JOBS_RUN_LOST, { params: { jobId: job.id, job: job.kind, tenant: job.tenantId } });
    return this.deps.jobs.finish(
      job.id,
      { state: 'failed', error: { code: lost.code, message: lost.message, fix: lost.fix } },
      null,
      this.deps.clock.now(),
    );
  }

  private toJobError(err: unknown, job: JobRecord, timedOut: boolean): JobError {
    const coded =
      isAppError(err) && !timedOut
        ? err
        : appError(JOBS_RUN_FAILED, {
            params: {
              jobId: job.id,
              job: job.kind,
              tenant: job.tenantId,
              reason: timedOut ? 'it ran past its timeout and was stopped' : this.deps.describe(err),
            },
          });
    return { code: coded.code, message: coded.message, fix: coded.fix };
  }
}

/**
 * Writes progress at most once per `everyMs`, always the latest report, and renews the lease in between, so a
 * run reporting 5,000 rows one by one costs a handful of writes and a quiet run still looks alive.
 */
class ProgressWriter {
  latest: JobProgress | null = null;
  private dirty = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (progress: JobProgress | null) => Promise<void>,
    private readonly clock: Clock,
    private readonly everyMs: number,
    renewMs: number,
    private readonly log: Logger,
  ) {
    this.heartbeat = setInterval(() => this.enqueue(null), renewMs);
    this.heartbeat.unref();
  }

  report(progress: JobProgress): void {
    this.latest = { ...progress };
    this.dirty = true;
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastWriteAt + this.everyMs - this.clock.now().getTime());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // the final state write carries the latest progress; only what is in flight is awaited
    this.dirty = false;
    await this.chain;
  }

  private flush(): void {
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.lastWriteAt = this.clock.now().getTime();
    this.enqueue(this.latest);
  }

  private enqueue(progress: JobProgress | null): void {
    this.chain = this.chain
      .then(() => this.write(progress))
      .catch((err: unknown) => this.log.warn({ err: String(err) }, 'could not record job progress'));
  }
}
