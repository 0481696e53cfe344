// NudgeRepository and EmployeeZoneRepository on the store: waiting periods (case_nudges, migration 0026) beside the
// case snapshots they belong to, employees' own time zones (employee_zones, 0027), and the employees' last replies
// read from the replies ledger (write_intents, kind 'reply').

import type { Clock } from '../../domain/ports.js';
import type { CaseEmployee } from '../../domain/tickets/case-employee.js';
import type { WatchedCase } from '../../domain/tickets/case-change-source.js';
import type {
  EmployeeZoneRepository,
  NudgeRepository,
  WaitingCase,
} from '../../domain/tickets/nudge-ports.js';
import { toIso, toIsoOrNull, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface WaitingRow {
  case_id: string;
  snapshot: WatchedCase | string;
  employee: CaseEmployee | string;
  waiting_since: string | null;
  reminders_sent: number | null;
  last_reminder_at: unknown;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export class SqlNudgeRepository implements NudgeRepository {
  constructor(private readonly db: Queryable) {}

  async listWaiting(tenantId: string, waitingStatuses: readonly string[]): Promise<WaitingCase[]> {
    if (waitingStatuses.length === 0) return [];
    const { rows } = await this.db.query<WaitingRow>(
      `SELECT s.case_id, s.snapshot, s.employee, n.waiting_since, n.reminders_sent, n.last_reminder_at
       FROM case_snapshots s LEFT JOIN case_nudges n ON n.tenant_id = s.tenant_id AND n.case_id = s.case_id
       WHERE s.tenant_id = $1 AND s.snapshot->>'status' = ANY($2::text[])
       ORDER BY s.case_id`,
      [tenantId, [...waitingStatuses]],
    );
    return rows.map((row) => ({
      caseId: row.case_id,
      snapshot: json(row.snapshot),
      employee: json(row.employee),
      period:
        row.waiting_since === null
          ? null
          : {
              caseId: row.case_id,
              since: row.waiting_since,
              remindersSent: Number(row.reminders_sent ?? 0),
              lastReminderAt: toIsoOrNull(row.last_reminder_at),
            },
    }));
  }

  async endLeft(tenantId: string, waitingStatuses: readonly string[]): Promise<number> {
    const { rows } = await this.db.query<{ case_id: string }>(
      `DELETE FROM case_nudges n USING case_snapshots s
       WHERE n.tenant_id = $1 AND s.tenant_id = n.tenant_id AND s.case_id = n.case_id
         AND NOT (s.snapshot->>'status' = ANY($2::text[]))
       RETURNING n.case_id`,
      [tenantId, [...waitingStatuses]],
    );
    return rows.length;
  }

  async startPeriod(tenantId: string, caseId: string, since: string): Promise<void> {
    await this.db.query(
      `INSERT INTO case_nudges (tenant_id, case_id, waiting_since) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, case_id) DO NOTHING`,
      [tenantId, caseId, since],
    );
  }

  async recordReminder(
    tenantId: string,
    caseId: string,
    since: string,
    reminder: number,
    at: string,
  ): Promise<void> {
    await this.db.query(
      `UPDATE case_nudges SET reminders_sent = $4, last_reminder_at = $5::timestamptz
       WHERE tenant_id = $1 AND case_id = $2 AND waiting_since = $3 AND reminders_sent < $4`,
      [tenantId, caseId, since, reminder, at],
    );
  }

  async lastReplies(tenantId: string, caseIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (caseIds.length === 0) return found;
    const { rows } = await this.db.query<{ case_id: string; at: unknown }>(
      `SELECT case_id, max(started_at) AS at FROM write_intents
       WHERE tenant_id = $1 AND kind = 'reply' AND case_id = ANY($2::text[]) GROUP BY case_id`,
      [tenantId, [...new Set(caseIds)]],
    );
    for (const row of rows) found.set(row.case_id, toIso(row.at));
    return found;
  }
}

export class SqlEmployeeZoneRepository implements EmployeeZoneRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async getMany(tenantId: string, employeeIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (employeeIds.length === 0) return found;
    const { rows } = await this.db.query<{ employee_id: string; zone: string }>(
      'SELECT employee_id, zone FROM employee_zones WHERE tenant_id = $1 AND employee_id = ANY($2::text[])',
      [tenantId, [...new Set(employeeIds)]],
    );
    for (const row of rows) found.set(row.employee_id, row.zone);
    return found;
  }

  async put(tenantId: string, employeeId: string, zone: string): Promise<void> {
    await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO employee_zones (tenant_id, employee_id, zone, updated_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (tenant_id, employee_id) DO UPDATE SET zone = EXCLUDED.zone, updated_at = EXCLUDED.updated_at`,
        [tenantId, employeeId, zone, this.clock.now().toISOString()],
      ),
    );
  }
}
