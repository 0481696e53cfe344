// ApiAuditRepository on the store: one row per Salesforce call attempt, indexed by tenant and time.

import type { ApiAuditEntry, ApiAuditRepository, ApiUsageSummary } from '../../domain/ports.js';
import { toIso, type Queryable } from '../db.js';

/** an api_audit row as read (`AUDIT_COLUMNS`), shared with the console's audit search */
export interface AuditRow {
  tenant_id: string;
  at: unknown;
  method: string;
  path: string;
  status: number | null;
  error_code: string | null;
  duration_ms: number;
  api_used: number | null;
  api_max: number | null;
  attempt: number;
  purpose: string | null;
}

export const AUDIT_COLUMNS =
  'tenant_id, at, method, path, status, error_code, duration_ms, api_used, api_max, attempt, purpose';

export function toEntry(row: AuditRow): ApiAuditEntry {
  return {
    tenantId: row.tenant_id,
    at: toIso(row.at),
    method: row.method,
    path: row.path,
    status: row.status,
    errorCode: row.error_code,
    durationMs: row.duration_ms,
    apiUsed: row.api_used,
    apiMax: row.api_max,
    attempt: row.attempt,
    purpose: row.purpose,
  };
}

export class SqlApiAuditRepository implements ApiAuditRepository {
  constructor(private readonly db: Queryable) {}

  async record(entry: ApiAuditEntry): Promise<void> {
    await this.recordMany([entry]);
  }

  /** One multi-row INSERT for many attempts (the buffered writer flushes through this). */
  async recordMany(entries: readonly ApiAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const params: unknown[] = [];
    const rows = entries.map((entry) => {
      const base = params.length;
      params.push(
        entry.tenantId,
        entry.at,
        entry.method,
        entry.path,
        entry.status,
        entry.errorCode,
        Math.round(entry.durationMs),
        entry.apiUsed,
        entry.apiMax,
        entry.attempt,
        entry.purpose,
      );
      const p = (i: number): string => `$${base + i}`;
      return `(${p(1)}, ${p(2)}::timestamptz, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)})`;
    });
    await this.db.query(
      `INSERT INTO api_audit (tenant_id, at, method, path, status, error_code, duration_ms, api_used, api_max, attempt, purpose)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }

  async purgeBefore(before: Date): Promise<number> {
    const result = await this.db.query('DELETE FROM api_audit WHERE at < $1::timestamptz', [
      before.toISOString(),
    ]);
    return result.rowCount;
  }

  async summary(tenantId: string, since: Date): Promise<ApiUsageSummary> {
    const { rows } = await this.db.query<{ calls: number; api_used: number | null; api_max: number | null }>(
      // OAuth requests (token, revoke) are audited but do not spend the daily API allocation, so they are not calls.
      `SELECT (SELECT count(*)::int FROM api_audit
               WHERE tenant_id = $1 AND at >= $2::timestamptz AND path NOT LIKE '/services/oauth2/%') AS calls,
              latest.api_used, latest.api_max
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT api_used, api_max FROM api_audit
         WHERE tenant_id = $1 AND at >= $2::timestamptz AND api_used IS NOT NULL
         ORDER BY at DESC, id DESC LIMIT 1
       ) AS latest ON true`,
      [tenantId, since.toISOString()],
    );
    const row = rows[0];
    return {
      tenantId,
      calls: row?.calls ?? 0,
      since: since.toISOString(),
      lastApiUsed: row?.api_used ?? null,
      lastApiMax: row?.api_max ?? null,
    };
  }

  async list(tenantId: string, options: { since?: Date; limit?: number }): Promise<ApiAuditEntry[]> {
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS}
       FROM api_audit WHERE tenant_id = $1 AND at >= $2::timestamptz ORDER BY at, id LIMIT $3`,
      [tenantId, (options.since ?? new Date(0)).toISOString(), options.limit ?? 1000],
    );
    return rows.map(toEntry);
  }
}
