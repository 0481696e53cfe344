// CaseSnapshotRepository and MonitorStatsRepository on the store: ticket monitoring's last view of each watched
// case, and each tenant's poll counts.

import type { Clock } from '../../domain/ports.js';
import type { CaseEmployee } from '../../domain/tickets/case-employee.js';
import type { WatchedCase } from '../../domain/tickets/case-change-source.js';
import type {
  CaseSnapshot,
  CaseSnapshotRepository,
  MonitorPollRecord,
  MonitorPollStats,
  MonitorStatsRepository,
} from '../../domain/tickets/monitor-ports.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface SnapshotRow {
  case_id: string;
  snapshot: WatchedCase | string;
  employee: CaseEmployee | string;
}

/** jsonb comes back parsed from both drivers; a string (a driver without the parser) is parsed here. */
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export class SqlCaseSnapshotRepository implements CaseSnapshotRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async getMany(tenantId: string, caseIds: readonly string[]): Promise<Map<string, CaseSnapshot>> {
    const found = new Map<string, CaseSnapshot>();
    if (caseIds.length === 0) return found;
    const { rows } = await this.db.query<SnapshotRow>(
      'SELECT case_id, snapshot, employee FROM case_snapshots WHERE tenant_id = $1 AND case_id = ANY($2::text[])',
      [tenantId, [...new Set(caseIds)]],
    );
    for (const row of rows)
      found.set(row.case_id, {
        tenantId,
        caseId: row.case_id,
        snapshot: json(row.snapshot),
        employee: json(row.employee),
      });
    return found;
  }

  async put(snapshot: CaseSnapshot): Promise<void> {
    await referencingTenant(snapshot.tenantId, () =>
      this.db.query(
        `INSERT INTO case_snapshots (tenant_id, case_id, snapshot, employee, updated_at)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::timestamptz)
       ON CONFLICT (tenant_id, case_id) DO UPDATE SET snapshot = EXCLUDED.snapshot, employee = EXCLUDED.employee,
         updated_at = EXCLUDED.updated_at`,
        [
          snapshot.tenantId,
          snapshot.caseId,
          JSON.stringify(snapshot.snapshot),
          JSON.stringify(snapshot.employee),
          this.clock.now().toISOString(),
        ],
      ),
    );
  }

  async remove(tenantId: string, caseId: string): Promise<void> {
    await this.db.query('DELETE FROM case_snapshots WHERE tenant_id = $1 AND case_id = $2', [
      tenantId,
      caseId,
    ]);
  }

  async purgeClosedBefore(before: Date): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM case_snapshots WHERE (snapshot->>'isClosed') = 'true' AND updated_at < $1::timestamptz`,
      [before.toISOString()],
    );
    return result.rowCount;
  }

  async count(tenantId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: unknown }>(
      'SELECT count(*) AS n FROM case_snapshots WHERE tenant_id = $1',
      [tenantId],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

interface StatsRow {
  tenant_id: string;
  polled_at: unknown;
  lag_ms: unknown;
  watched: number;
  notified: unknown;
  calls: number;
  skipped: MonitorPollStats['skipped'] | string;
}

export class SqlMonitorStatsRepository implements MonitorStatsRepository {
  constructor(private readonly db: Queryable) {}

  async record(stats: MonitorPollRecord): Promise<void> {
    // An idle poll (no skips, nothing notified, watched unchanged) only stamps the row, and it runs for every
    // tenant on every poll: a plain UPDATE costs about half the upsert below (PGlite plans each statement anew).
    if (stats.watched === null && stats.notified === 0 && Object.keys(stats.skipped).length === 0) {
      const stamped = await this.db.query(
        'UPDATE monitor_stats SET polled_at = $2::timestamptz, lag_ms = $3, calls = $4 WHERE tenant_id = $1',
        [stats.tenantId, stats.polledAt, stats.lagMs, stats.calls],
      );
      if (stamped.rowCount > 0) return;
    }
    // Skip counts add up key by key across polls (jsonb_each over the union of old and new keys).
    await referencingTenant(stats.tenantId, () =>
      this.db.query(
        `INSERT INTO monitor_stats (tenant_id, polled_at, lag_ms, watched, notified, calls, skipped)
       VALUES ($1, $2::timestamptz, $3, coalesce($4::integer, 0), $5, $6, $7::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET polled_at = EXCLUDED.polled_at, lag_ms = EXCLUDED.lag_ms,
         watched = coalesce($4::integer, monitor_stats.watched), notified = monitor_stats.notified + EXCLUDED.notified,
         calls = EXCLUDED.calls,
         skipped = CASE WHEN $7::jsonb = '{}'::jsonb THEN monitor_stats.skipped ELSE (SELECT coalesce(jsonb_object_agg(k, total), '{}'::jsonb) FROM (
           SELECT k, sum(v::bigint) AS total FROM (
             SELECT key AS k, value AS v FROM jsonb_each_text(monitor_stats.skipped)
             UNION ALL SELECT key, value FROM jsonb_each_text(EXCLUDED.skipped)) AS parts GROUP BY k) AS sums) END`,
        [
          stats.tenantId,
          stats.polledAt,
          stats.lagMs,
          stats.watched,
          stats.notified,
          stats.calls,
          JSON.stringify(stats.skipped),
        ],
      ),
    );
  }

  async get(tenantId: string): Promise<MonitorPollStats | null> {
    const { rows } = await this.db.query<StatsRow>(
      'SELECT tenant_id, polled_at, lag_ms, watched, notified, calls, skipped FROM monitor_stats WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      polledAt: toIso(row.polled_at),
      lagMs: row.lag_ms === null ? null : Number(row.lag_ms),
      watched: Number(row.watched),
      notified: Number(row.notified),
      calls: Number(row.calls),
      skipped: json(row.skipped),
    };
  }
}
