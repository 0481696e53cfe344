// JobRepository on the store: on-demand jobs and their state, progress, summary or coded error.

import type {
  JobError,
  JobProgress,
  JobRecord,
  JobRepository,
  JobState,
  JobSummary,
} from '../../domain/job-state.js';
import { toIso, toIsoOrNull, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface JobRow {
  id: string;
  kind: string;
  tenant_id: string;
  state: JobState;
  progress: JobProgress | null;
  summary: JobSummary | null;
  error: JobError | null;
  requested_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  lease_until: unknown;
}

const COLUMNS =
  'id, kind, tenant_id, state, progress, summary, error, requested_at, started_at, finished_at, lease_until';

const toRecord = (row: JobRow): JobRecord => ({
  id: row.id,
  kind: row.kind,
  tenantId: row.tenant_id,
  state: row.state,
  progress: row.progress,
  summary: row.summary,
  error: row.error,
  requestedAt: toIso(row.requested_at),
  startedAt: toIsoOrNull(row.started_at),
  finishedAt: toIsoOrNull(row.finished_at),
  leaseUntil: toIsoOrNull(row.lease_until),
});

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

export class SqlJobRepository implements JobRepository {
  constructor(private readonly db: Queryable) {}

  async create(job: {
    id: string;
    kind: string;
    tenantId: string;
    requestedAt: Date;
  }): Promise<{ job: JobRecord; created: boolean }> {
    // The partial unique index admits one active job per (kind, tenant); a second request meets it here, even
    // when two processes ask at the same moment.
    for (;;) {
      const inserted = await referencingTenant(job.tenantId, () =>
        this.db.query<JobRow>(
          `INSERT INTO jobs (id, kind, tenant_id, state, requested_at) VALUES ($1, $2, $3, 'queued', $4::timestamptz)
         ON CONFLICT (kind, tenant_id) WHERE state IN ('queued', 'running') DO NOTHING
         RETURNING ${COLUMNS}`,
          [job.id, job.kind, job.tenantId, job.requestedAt.toISOString()],
        ),
      );
      if (inserted.rows[0] !== undefined) return { job: toRecord(inserted.rows[0]), created: true };
      const active = await this.db.query<JobRow>(
        `SELECT ${COLUMNS} FROM jobs WHERE kind = $1 AND tenant_id = $2 AND state IN ('queued', 'running')`,
        [job.kind, job.tenantId],
      );
      // none when the active one ended between the two statements: try the insert again
      if (active.rows[0] !== undefined) return { job: toRecord(active.rows[0]), created: false };
    }
  }

  async get(id: string): Promise<JobRecord | null> {
    const { rows } = await this.db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async recent(limit: number, tenantId?: string): Promise<JobRecord[]> {
    const { rows } = await this.db.query<JobRow>(
      `SELECT ${COLUMNS} FROM jobs WHERE ($2::text IS NULL OR tenant_id = $2)
       ORDER BY requested_at DESC, id LIMIT $1`,
      [limit, tenantId ?? null],
    );
    return rows.map(toRecord);
  }

  async claim(id: string, at: Date, leaseUntil: Date): Promise<boolean> {
    // One statement: of two workers handed the same job, the row lock lets one through; the other sees 'running'.
    const result = await this.db.query(
      `UPDATE jobs SET state = 'running', started_at = $2::timestamptz, lease_until = $3::timestamptz
       WHERE id = $1 AND state = 'queued'`,
      [id, at.toISOString(), leaseUntil.toISOString()],
    );
    return result.rowCount === 1;
  }

  async progress(id: string, progress: JobProgress | null, leaseUntil: Date): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET progress = COALESCE($2::jsonb, progress), lease_until = $3::timestamptz
       WHERE id = $1 AND state = 'running'`,
      [id, json(progress), leaseUntil.toISOString()],
    );
  }

  async finish(
    id: string,
    outcome: { state: 'succeeded'; summary: JobSummary } | { state: 'failed'; error: JobError },
    progress: JobProgress | null,
    at: Date,
  ): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE jobs SET state = $2, summary = $3::jsonb, error = $4::jsonb,
         progress = COALESCE($5::jsonb, progress), finished_at = $6::timestamptz, lease_until = NULL
       WHERE id = $1 AND state IN ('queued', 'running')`,
      [
        id,
        outcome.state,
        outcome.state === 'succeeded' ? json(outcome.summary) : null,
        outcome.state === 'failed' ? json(outcome.error) : null,
        json(progress),
        at.toISOString(),
      ],
    );
    return result.rowCount === 1;
  }

  async purgeFinishedBefore(before: Date): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM jobs WHERE state IN ('succeeded', 'failed') AND finished_at < $1::timestamptz`,
      [before.toISOString()],
    );
    return result.rowCount;
  }
}
