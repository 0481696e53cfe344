// On-demand jobs ("run knowledge sync for tenant T now"): the state every process reads from the store, and the
// port that keeps it. Pure types.

/** How far a run has got. `total` is null while unknown (e.g. before a count query answers). */
export interface JobProgress {
  done: number;
  total: number | null;
  /** what is counted: 'articles', 'checks', 'certificates'… */
  unit: string;
  message?: string;
}

/** A coded error as the operator sees it: the registered code, its message and its fix (never a stack). */
export interface JobError {
  code: string;
  message: string;
  fix: string;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

/** What a run hands back when it ends well: a small JSON object (counts, names), shown by the CLI. */
export type JobSummary = Record<string, unknown>;

export interface JobRecord {
  id: string;
  kind: string;
  tenantId: string;
  state: JobState;
  progress: JobProgress | null;
  summary: JobSummary | null;
  error: JobError | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** while running: the worker renews it; a run whose lease lapsed lost its worker */
  leaseUntil: string | null;
}

export const isFinished = (state: JobState): boolean => state === 'succeeded' || state === 'failed';

export interface JobRepository {
  /**
   * Queues a job, unless one of the same kind is already queued or running for the tenant: that one is returned
   * then (`created: false`), so "sync now" pressed twice runs one sync.
   */
  create(job: {
    id: string;
    kind: string;
    tenantId: string;
    requestedAt: Date;
  }): Promise<{ job: JobRecord; created: boolean }>;
  get(id: string): Promise<JobRecord | null>;
  /** the tenant's most recent jobs first (all tenants when omitted) */
  recent(limit: number, tenantId?: string): Promise<JobRecord[]>;
  /** queued → running, once: false when another worker took it (or it is no longer queued) */
  claim(id: string, at: Date, leaseUntil: Date): Promise<boolean>;
  /** records progress and renews the lease of a running job */
  progress(id: string, progress: JobProgress | null, leaseUntil: Date): Promise<void>;
  /** queued or running → succeeded/failed (a lapsed run is failed by whoever notices); false when it had ended */
  finish(
    id: string,
    outcome: { state: 'succeeded'; summary: JobSummary } | { state: 'failed'; error: JobError },
    progress: JobProgress | null,
    at: Date,
  ): Promise<boolean>;
  /** removes jobs that ended before `before` (kept for a while so `jobs show` and status still find them) */
  purgeFinishedBefore(before: Date): Promise<number>;
}
