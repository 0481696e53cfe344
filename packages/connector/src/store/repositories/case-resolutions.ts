// Autonomous resolution's records on the store (migration 0051).

import type { ArticleCard } from '../../domain/conversation/messages.js';
import type { ResolutionRecord, ResolutionRepository } from '../../domain/conversation/resolution-ports.js';
import {
  funnelOf,
  type ResolutionFunnel,
  type ResolutionStatus,
} from '../../domain/conversation/resolution-rules.js';
import { toIsoOrNull, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface Row {
  tenant_id: string;
  case_id: string;
  case_number: string;
  employee: string;
  status: ResolutionStatus;
  reason: string | null;
  articles: ArticleCard[] | string;
  confidence: number | string | null;
  offered_at: Date | string | null;
  offer_stamp: Date | string | null;
  answered_at: Date | string | null;
}

const COLUMNS =
  'tenant_id, case_id, case_number, employee, status, reason, articles, confidence, offered_at, offer_stamp, answered_at';

function recordOf(row: Row): ResolutionRecord {
  return {
    tenantId: row.tenant_id,
    caseId: row.case_id,
    caseNumber: row.case_number,
    employee: row.employee,
    status: row.status,
    reason: row.reason,
    articles: typeof row.articles === 'string' ? (JSON.parse(row.articles) as ArticleCard[]) : row.articles,
    confidence: row.confidence === null ? null : Number(row.confidence),
    offeredAt: toIsoOrNull(row.offered_at),
    offerStamp: toIsoOrNull(row.offer_stamp),
    answeredAt: toIsoOrNull(row.answered_at),
  };
}

export class SqlResolutionRepository implements ResolutionRepository {
  constructor(private readonly db: Queryable) {}

  async known(tenantId: string, caseIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (caseIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ case_id: string }>(
      'SELECT case_id FROM case_resolutions WHERE tenant_id = $1 AND case_id = ANY($2::text[])',
      [tenantId, [...caseIds]],
    );
    return new Set(rows.map((r) => r.case_id));
  }

  async put(r: ResolutionRecord, at: string): Promise<void> {
    await referencingTenant(r.tenantId, () =>
      this.db.query(
        `INSERT INTO case_resolutions (${COLUMNS}, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::timestamptz, $10::timestamptz, $11::timestamptz, $12::timestamptz)
       ON CONFLICT (tenant_id, case_id) DO UPDATE SET case_number = EXCLUDED.case_number, employee = EXCLUDED.employee,
         status = EXCLUDED.status, reason = EXCLUDED.reason, articles = EXCLUDED.articles,
         confidence = EXCLUDED.confidence, offered_at = EXCLUDED.offered_at, offer_stamp = EXCLUDED.offer_stamp,
         answered_at = EXCLUDED.answered_at, updated_at = EXCLUDED.updated_at`,
        [
          r.tenantId,
          r.caseId,
          r.caseNumber,
          r.employee,
          r.status,
          r.reason,
          JSON.stringify(r.articles),
          r.confidence,
          r.offeredAt,
          r.offerStamp,
          r.answeredAt,
          at,
        ],
      ),
    );
  }

  async get(tenantId: string, caseId: string): Promise<ResolutionRecord | null> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM case_resolutions WHERE tenant_id = $1 AND case_id = $2`,
      [tenantId, caseId],
    );
    return rows[0] === undefined ? null : recordOf(rows[0]);
  }

  async byNumber(tenantId: string, caseNumber: string): Promise<ResolutionRecord | null> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM case_resolutions WHERE tenant_id = $1 AND case_number = $2 LIMIT 1`,
      [tenantId, caseNumber],
    );
    return rows[0] === undefined ? null : recordOf(rows[0]);
  }

  async inStatus(tenantId: string, status: ResolutionStatus, limit: number): Promise<ResolutionRecord[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM case_resolutions WHERE tenant_id = $1 AND status = $2
       ORDER BY offered_at ASC NULLS LAST, case_id LIMIT $3`,
      [tenantId, status, limit],
    );
    return rows.map(recordOf);
  }

  async funnel(tenantId: string): Promise<ResolutionFunnel> {
    const { rows } = await this.db.query<{ status: ResolutionStatus; n: string | number }>(
      'SELECT status, count(*) AS n FROM case_resolutions WHERE tenant_id = $1 GROUP BY status',
      [tenantId],
    );
    return funnelOf(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])));
  }

  async candidates(
    tenantId: string,
    limit: number,
  ): Promise<{ caseId: string; caseNumber: string; status: string; employeeId: string | null }[]> {
    const { rows } = await this.db.query<{
      case_id: string;
      number: string | null;
      status: string | null;
      employee_id: string | null;
    }>(
      `SELECT s.case_id, s.snapshot->>'number' AS number, s.snapshot->>'status' AS status,
         CASE WHEN s.employee->>'kind' = 'employee' THEN s.employee->>'employeeId' END AS employee_id
       FROM case_snapshots s
       WHERE s.tenant_id = $1 AND coalesce(s.snapshot->>'isClosed', 'false') = 'false'
         AND NOT EXISTS (SELECT 1 FROM case_resolutions r WHERE r.tenant_id = s.tenant_id AND r.case_id = s.case_id)
       ORDER BY s.case_id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((r) => ({
      caseId: r.case_id,
      caseNumber: r.number ?? '',
      status: r.status ?? '',
      employeeId: r.employee_id,
    }));
  }

  async confirmedWithStatus(
    tenantId: string,
  ): Promise<{ record: ResolutionRecord; status: string | null; modstamp: string | null }[]> {
    const { rows } = await this.db.query<Row & { case_status: string | null; case_modstamp: string | null }>(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `r.${c}`)
        .join(', ')}, s.snapshot->>'status' AS case_status, s.snapshot->>'modstamp' AS case_modstamp
       FROM case_resolutions r LEFT JOIN case_snapshots s ON s.tenant_id = r.tenant_id AND s.case_id = r.case_id
       WHERE r.tenant_id = $1 AND r.status = 'confirmed'`,
      [tenantId],
    );
    return rows.map((r) => ({ record: recordOf(r), status: r.case_status, modstamp: r.case_modstamp }));
  }
}
