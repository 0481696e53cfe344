// PollActivityRepository and PollPaceRepository on the store: a tenant's activity read from the replies ledger
// (write_intents, kind 'reply') and the case snapshots, and its last decided poll pace (poll_paces, migration 0029).

import type {
  DecidedPollPace,
  PaceAllocation,
  PollActivityRepository,
  PollPaceRepository,
} from '../../domain/tickets/poll-pace-ports.js';
import type { PollPaceWhy } from '../../domain/tickets/poll-pace.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

export class SqlPollActivityRepository implements PollActivityRepository {
  constructor(private readonly db: Queryable) {}

  async liveConversations(tenantId: string, since: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: unknown }>(
      `SELECT count(DISTINCT case_id) AS n FROM write_intents
       WHERE tenant_id = $1 AND kind = 'reply' AND started_at >= $2::timestamptz`,
      [tenantId, since.toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async waitingCases(tenantId: string, waitingStatuses: readonly string[]): Promise<number> {
    if (waitingStatuses.length === 0) return 0;
    const { rows } = await this.db.query<{ n: unknown }>(
      `SELECT count(*) AS n FROM case_snapshots WHERE tenant_id = $1 AND snapshot->>'status' = ANY($2::text[])`,
      [tenantId, [...waitingStatuses]],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

interface PaceRow {
  tenant_id: string;
  interval_ms: number;
  why: string;
  reason: string;
  allowance_per_day: number | null;
  calls_per_day: number;
  decided_at: unknown;
  allocation: unknown;
}

export class SqlPollPaceRepository implements PollPaceRepository {
  constructor(private readonly db: Queryable) {}

  async save(pace: DecidedPollPace): Promise<void> {
    await referencingTenant(pace.tenantId, () =>
      this.db.query(
        `INSERT INTO poll_paces
         (tenant_id, interval_ms, why, reason, allowance_per_day, calls_per_day, decided_at, allocation)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET interval_ms = EXCLUDED.interval_ms, why = EXCLUDED.why,
         reason = EXCLUDED.reason, allowance_per_day = EXCLUDED.allowance_per_day,
         calls_per_day = EXCLUDED.calls_per_day, decided_at = EXCLUDED.decided_at,
         allocation = EXCLUDED.allocation`,
        [
          pace.tenantId,
          pace.intervalMs,
          pace.why,
          pace.reason,
          pace.allowancePerDay,
          pace.callsPerDayAtPace,
          pace.decidedAt,
          pace.allocation === undefined ? null : JSON.stringify(pace.allocation),
        ],
      ),
    );
  }

  async get(tenantId: string): Promise<DecidedPollPace | null> {
    const { rows } = await this.db.query<PaceRow>(
      `SELECT tenant_id, interval_ms, why, reason, allowance_per_day, calls_per_day, decided_at, allocation
       FROM poll_paces WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      intervalMs: Number(row.interval_ms),
      why: row.why as PollPaceWhy,
      reason: row.reason,
      allowancePerDay: row.allowance_per_day === null ? null : Number(row.allowance_per_day),
      callsPerDayAtPace: Number(row.calls_per_day),
      decidedAt: toIso(row.decided_at),
      ...(row.allocation === null || row.allocation === undefined
        ? {}
        : {
            // jsonb comes back parsed from both drivers; a string (a driver without the parser) is parsed here
            allocation:
              typeof row.allocation === 'string'
                ? (JSON.parse(row.allocation) as PaceAllocation)
                : (row.allocation as PaceAllocation),
          }),
    };
  }
}
