// JobRunRepository on the store: the last run per (job, tenant), claimed atomically by the worker that runs it.

import type { JobRunRecord, JobRunRepository } from '../../domain/ports.js';
import { toIso, toIsoOrNull, type Queryable } from '../db.js';

interface RunRow {
  job: string;
  tenant_id: string;
  started_at: unknown;
  finished_at: unknown;
  outcome: JobRunRecord['outcome'];
  last_error: string | null;
  runs: number;
  failures: number;
}

export class SqlJobRunRepository implements JobRunRepository {
  constructor(private readonly db: Queryable) {}

  async start(job: string, tenantId: string, at: Date, minGapMs: number): Promise<boolean> {
    // One statement: of two workers racing for the slot, the row lock lets one through and the other sees its
    // started_at and stops.
    const result = await this.db.query(
      `INSERT INTO job_runs (job, tenant_id, started_at, runs) VALUES ($1, $2, $3::timestamptz, 1)
       ON CONFLICT (job, tenant_id) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL,
         runs = job_runs.runs + 1
       WHERE job_runs.started_at <= $3::timestamptz - make_interval(secs => $4::float8)`,
      [job, tenantId, at.toISOString(), minGapMs / 1000],
    );
    return result.rowCount === 1;
  }

  async finish(job: string, tenantId: string, at: Date, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE job_runs SET finished_at = $3::timestamptz, outcome = $4, last_error = $5,
         failures = failures + CASE WHEN $5::text IS NULL THEN 0 ELSE 1 END
       WHERE job = $1 AND tenant_id = $2`,
      [job, tenantId, at.toISOString(), error === null ? 'ok' : 'error', error?.slice(0, 2000) ?? null],
    );
  }

  async list(): Promise<JobRunRecord[]> {
    const { rows } = await this.db.query<RunRow>(
      `SELECT job, tenant_id, started_at, finished_at, outcome, last_error, runs, failures FROM job_runs
       ORDER BY tenant_id, job`,
    );
    return rows.map((row) => ({
      job: row.job,
      tenantId: row.tenant_id,
      startedAt: toIso(row.started_at),
      finishedAt: toIsoOrNull(row.finished_at),
      outcome: row.outcome,
      lastError: row.last_error,
      runs: Number(row.runs),
      failures: Number(row.failures),
    }));
  }
}
