// Background work: may a tenant's job call Salesforce now (budget, pauses), and each job's last run.

/** A tenant's background work paused until a time (e.g. after REQUEST_LIMIT_EXCEEDED). */
export interface TenantPauseRepository {
  /** TENANT_NOT_FOUND when the tenant does not exist. */
  pause(tenantId: string, until: Date, reason: string): Promise<void>;
  get(tenantId: string): Promise<{ until: string; reason: string } | null>;
  clear(tenantId: string): Promise<void>;
}

/** Whether a tenant's background job may call Salesforce now, and how much slower than its interval it should run. */
export interface BudgetDecision {
  allow: boolean;
  /** 1 = normal; 2 = run half as often */
  slowdownFactor: number;
  /** why it is stopped or slowed (null when neither) */
  reason: string | null;
  /** when stopped: the earliest time worth asking again (e.g. the end of a pause), if known */
  resumeAt?: string;
}

export interface BudgetGate {
  check(tenantId: string): Promise<BudgetDecision>;
}

/** The last run of a recurring job for one tenant, as every worker sees it. */
export interface JobRunRecord {
  job: string;
  tenantId: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'ok' | 'error' | null;
  lastError: string | null;
  runs: number;
  failures: number;
}

export interface JobRunRepository {
  /**
   * Claims the (job, tenant) slot for a run starting at `at`, unless another run started less than `minGapMs`
   * before (a duplicate queued by another worker): false then, and the caller skips the run.
   */
  start(job: string, tenantId: string, at: Date, minGapMs: number): Promise<boolean>;
  finish(job: string, tenantId: string, at: Date, error: string | null): Promise<void>;
  list(): Promise<JobRunRecord[]>;
}
