// ConsoleRepository on the store: the last doctor report and knowledge runs per tenant (migration 0080), the reads
// the console and /metrics make over api_audit, knowledge_articles and outbox, and the console's action log.

import type {
  AuditSearch,
  CallCount,
  ConsoleRepository,
  DeliveryLatency,
  HourlyCalls,
  KnowledgeRunMark,
  OperatorAction,
  StoredDoctorReport,
} from '../../domain/console-ports.js';
import type { ApiAuditEntry } from '../../domain/ports.js';
import { toIso, toIsoOrNull, type Queryable } from '../db.js';
import { AUDIT_COLUMNS, toEntry, type AuditRow } from './api-audit.js';
import { referencingTenant } from '../tenant-reference.js';

// OAuth requests (token, revoke) are audited but do not spend the daily API allocation (as in api-audit.ts).
const NOT_OAUTH = `path NOT LIKE '/services/oauth2/%'`;

export class SqlConsoleRepository implements ConsoleRepository {
  constructor(
    private readonly db: Queryable,
    /** writes audit rows still buffered in this process, so a read sees every call made before it */
    private readonly flushAudit: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async saveDoctorReport(report: StoredDoctorReport): Promise<void> {
    await referencingTenant(report.tenantId, () =>
      this.db.query(
        `INSERT INTO doctor_reports (tenant_id, checked_at, ok, report) VALUES ($1, $2::timestamptz, $3, $4::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET checked_at = EXCLUDED.checked_at, ok = EXCLUDED.ok,
         report = EXCLUDED.report`,
        [report.tenantId, report.checkedAt, report.ok, JSON.stringify(report)],
      ),
    );
  }

  async doctorReport(tenantId: string): Promise<StoredDoctorReport | null> {
    const { rows } = await this.db.query<{ report: unknown }>(
      'SELECT report FROM doctor_reports WHERE tenant_id = $1',
      [tenantId],
    );
    const report = rows[0]?.report;
    if (report === undefined) return null;
    return (typeof report === 'string' ? JSON.parse(report) : report) as StoredDoctorReport;
  }

  async markKnowledgeRun(tenantId: string, mark: KnowledgeRunMark): Promise<void> {
    await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO knowledge_sync_runs (tenant_id, mode, state, started_at, finished_at)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)
       ON CONFLICT (tenant_id, mode) DO UPDATE SET state = EXCLUDED.state, started_at = EXCLUDED.started_at,
         finished_at = EXCLUDED.finished_at`,
        [tenantId, mark.mode, mark.state, mark.startedAt, mark.finishedAt],
      ),
    );
  }

  async knowledgeRuns(tenantId: string): Promise<KnowledgeRunMark[]> {
    const { rows } = await this.db.query<{
      mode: 'full' | 'incremental';
      state: string;
      started_at: unknown;
      finished_at: unknown;
    }>(
      'SELECT mode, state, started_at, finished_at FROM knowledge_sync_runs WHERE tenant_id = $1 ORDER BY mode',
      [tenantId],
    );
    return rows.map((row) => ({
      mode: row.mode,
      state: row.state,
      startedAt: toIso(row.started_at),
      finishedAt: toIsoOrNull(row.finished_at),
    }));
  }

  async articlesPerLanguage(tenantId: string): Promise<{ language: string; articles: number }[]> {
    const { rows } = await this.db.query<{ language: string; n: unknown }>(
      `SELECT language, count(*) AS n FROM knowledge_articles WHERE tenant_id = $1 AND NOT removed
       GROUP BY language ORDER BY language`,
      [tenantId],
    );
    return rows.map((row) => ({ language: row.language, articles: Number(row.n) }));
  }

  async callsPerHour(tenantId: string, since: Date): Promise<HourlyCalls[]> {
    await this.flushAudit();
    const { rows } = await this.db.query<{ hour: unknown; purpose: string | null; n: unknown }>(
      `SELECT date_trunc('hour', at) AS hour, coalesce(purpose, 'other') AS purpose, count(*) AS n FROM api_audit
       WHERE tenant_id = $1 AND at >= $2::timestamptz AND ${NOT_OAUTH}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId, since.toISOString()],
    );
    return rows.map((row) => ({
      hour: toIso(row.hour),
      purpose: row.purpose ?? 'other',
      calls: Number(row.n),
    }));
  }

  async callCounts(since: Date): Promise<CallCount[]> {
    await this.flushAudit();
    const { rows } = await this.db.query<{
      tenant_id: string;
      purpose: string | null;
      outcome: CallCount['outcome'];
      n: unknown;
    }>(
      `SELECT tenant_id, coalesce(purpose, 'other') AS purpose,
         CASE WHEN status IS NULL THEN 'network_error' WHEN status >= 500 THEN 'server_error'
              WHEN status >= 400 THEN 'client_error' ELSE 'ok' END AS outcome,
         count(*) AS n
       FROM api_audit WHERE at >= $1::timestamptz AND ${NOT_OAUTH}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [since.toISOString()],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      purpose: row.purpose ?? 'other',
      outcome: row.outcome,
      calls: Number(row.n),
    }));
  }

  async searchAudit(search: AuditSearch): Promise<ApiAuditEntry[]> {
    await this.flushAudit();
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (search.tenantId !== undefined) add((p) => `tenant_id = ${p}`, search.tenantId);
    // the path is matched as a literal substring: LIKE's wildcards in the operator's text are escaped
    if (search.path !== undefined)
      add((p) => `path LIKE ${p} ESCAPE '\\'`, `%${search.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (search.status !== undefined) {
      if ('exact' in search.status) add((p) => `status = ${p}`, search.status.exact);
      else add((p) => `status >= ${p} * 100 AND status < (${p} + 1) * 100`, search.status.class);
    }
    if (search.from !== undefined) add((p) => `at >= ${p}::timestamptz`, search.from.toISOString());
    if (search.to !== undefined) add((p) => `at < ${p}::timestamptz`, search.to.toISOString());
    params.push(search.limit);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS}
       FROM api_audit ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  async deliveryLatency(since: Date): Promise<DeliveryLatency[]> {
    const { rows } = await this.db.query<{
      tenant_id: string;
      n: unknown;
      p50: unknown;
      p95: unknown;
      max: unknown;
    }>(
      `SELECT tenant_id, count(*) AS n,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM done_at - created_at)) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM done_at - created_at)) AS p95,
         max(extract(epoch FROM done_at - created_at)) AS max
       FROM outbox WHERE status = 'done' AND done_at >= $1::timestamptz
       GROUP BY tenant_id ORDER BY tenant_id`,
      [since.toISOString()],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      delivered: Number(row.n),
      p50Seconds: Number(row.p50),
      p95Seconds: Number(row.p95),
      maxSeconds: Number(row.max),
    }));
  }

  async recordAction(action: OperatorAction): Promise<void> {
    await this.db.query(
      `INSERT INTO operator_actions (at, actor, action, tenant_id, target, outcome, detail)
       VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7)`,
      [action.at, action.actor, action.action, action.tenantId, action.target, action.outcome, action.detail],
    );
  }

  async recentActions(limit: number): Promise<OperatorAction[]> {
    const { rows } = await this.db.query<{
      at: unknown;
      actor: string;
      action: string;
      tenant_id: string | null;
      target: string | null;
      outcome: 'ok' | 'failed';
      detail: string | null;
    }>(
      `SELECT at, actor, action, tenant_id, target, outcome, detail FROM operator_actions
       ORDER BY at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      at: toIso(row.at),
      actor: row.actor,
      action: row.action,
      tenantId: row.tenant_id,
      target: row.target,
      outcome: row.outcome,
      detail: row.detail,
    }));
  }
}
