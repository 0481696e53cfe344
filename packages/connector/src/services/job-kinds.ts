// The job kinds the service knows: each a run function over one tenant that may report progress and returns a
// summary. A kind with an interval also recurs for every tenant; every kind can be run on demand
// (`startJob(tenantId, kind)`). The composition root registers them, one line each.

import type { TenantRecord } from '../domain/ports.js';
import type { JobProgress, JobSummary } from '../domain/job-state.js';
import { appError } from '../errors/app-error.js';
import { JOBS_UNKNOWN_JOB } from '../errors/codes/jobs.js';
import type { Logger } from '../logging/logger.js';

export interface JobRunContext {
  job: string;
  tenantId: string;
  /** aborted when the run times out or the service stops: stop then, so a retry never overlaps this run */
  signal: AbortSignal;
  log: Logger;
  /**
   * Reports how far the run has got. Cheap to call often: the store is written at most every second or so
   * (the last report always lands), and a recurring run ignores it.
   */
  progress: (progress: JobProgress) => void;
}

export interface JobKind {
  name: string;
  /** recurring: runs for every tenant every intervalMs (or `intervalFor` the tenant); absent: on demand only */
  intervalMs?: number;
  /** a tenant's own interval (e.g. from its settings); `intervalMs` when absent */
  intervalFor?: (tenant: TenantRecord) => number;
  /** a run still going after this long is aborted through its signal (default 900 s) */
  timeoutSeconds?: number;
  /** the work; what it returns is the summary an on-demand run shows when it succeeds */
  run: (context: JobRunContext) => Promise<JobSummary | void>;
}

/** A kind that recurs. */
export type RecurringJobKind = JobKind & { intervalMs: number };

export class JobKinds {
  private readonly kinds = new Map<string, JobKind>();

  /** Adds a kind: `jobKinds.register(knowledgeSyncJob({ ... }))`. */
  register(kind: JobKind): this {
    this.kinds.set(kind.name, kind);
    return this;
  }

  /** The kind named `name`, or JOBS_UNKNOWN_JOB listing the known ones. */
  get(name: string): JobKind {
    const kind = this.kinds.get(name);
    if (kind === undefined)
      throw appError(JOBS_UNKNOWN_JOB, { params: { job: name, known: this.names().join(', ') } });
    return kind;
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  all(): JobKind[] {
    return [...this.kinds.values()];
  }

  recurring(): RecurringJobKind[] {
    return this.all().filter((kind): kind is RecurringJobKind => kind.intervalMs !== undefined);
  }
}
