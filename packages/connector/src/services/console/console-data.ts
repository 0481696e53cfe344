// What each console panel shows, read from the status report, the console repository and the outbox: plain data
// the HTML pages render. The two actions (run doctor again, retry a dead letter) record themselves in the
// operator action log whatever their outcome.

import type {
  AuditSearch,
  ConsoleRepository,
  HourlyCalls,
  KnowledgeRunMark,
  OperatorAction,
  StoredDoctorReport,
} from '../../domain/console-ports.js';
import type { KnowledgeSyncState } from '../../domain/knowledge/sync-ports.js';
import type { JobRecord } from '../../domain/job-state.js';
import type { ApiAuditEntry, Clock } from '../../domain/ports.js';
import type { MonitorPollStats } from '../../domain/tickets/monitor-ports.js';
import type { DecidedPollPace } from '../../domain/tickets/poll-pace-ports.js';
import type { DeadLetter, OutboxCounts } from '../../domain/webhooks/ports.js';
import { isAppError } from '../../errors/app-error.js';
import type { AdminOperations } from '../admin-operations.js';
import type { StatusReport, TenantStatus } from '../status-service.js';
import { readResolutionFunnel, type ResolutionFunnel } from './resolution-funnel.js';

export interface ConsoleDataDeps {
  ops: Pick<
    AdminOperations,
    'status' | 'listTenants' | 'listDeadLetters' | 'retryDeadLetters' | 'startJob' | 'listJobs'
  >;
  repo: ConsoleRepository;
  clock: Clock;
}

export interface TenantHealth {
  id: string;
  name: string;
  keyProven: boolean;
  paused: { until: string; reason: string } | null;
  doctor: StoredDoctorReport | null;
  /** the newest doctor job, when one is queued or running (or finished after the report) */
  doctorJob: JobRecord | null;
}

export interface KnowledgePanel {
  tenantId: string;
  languages: { language: string; articles: number }[];
  full: KnowledgeRunMark | null;
  incremental: KnowledgeRunMark | null;
  latest: KnowledgeSyncState | null;
  /** now − the end of the last successful run (null before one) */
  lagMs: number | null;
}

export interface MonitorPanel {
  tenantId: string;
  stats: MonitorPollStats | null;
  pace: DecidedPollPace | null;
}

export interface UsagePanel {
  tenantId: string;
  /** the 24 hour starts, oldest first */
  hours: string[];
  /** calls per purpose, one number per hour */
  byPurpose: { purpose: string; calls: number[] }[];
  /** the tenant's share of the org's daily allocation spread over an hour (null until the allocation is known) */
  sharePerHour: number | null;
  share: number;
  callsLast24h: number;
  orgApiUsage: { used: number; max: number } | null;
}

export interface OutboxPanel {
  counts: OutboxCounts[];
  dead: DeadLetter[];
}

export interface FunnelPanel {
  tenantId: string;
  funnel: ResolutionFunnel | null;
}

const HOUR = 3_600_000;

/** 24 hourly slots ending with the current hour, each purpose's calls in its slot (missing hours are 0). */
export function hourlySeries(
  rows: readonly HourlyCalls[],
  now: Date,
): Pick<UsagePanel, 'hours' | 'byPurpose'> {
  const current = Math.floor(now.getTime() / HOUR) * HOUR;
  const hours = Array.from({ length: 24 }, (_, i) => new Date(current - (23 - i) * HOUR).toISOString());
  const slot = new Map(hours.map((hour, i) => [hour, i]));
  const byPurpose = new Map<string, number[]>();
  for (const row of rows) {
    const i = slot.get(new Date(row.hour).toISOString());
    if (i === undefined) continue;
    let series = byPurpose.get(row.purpose);
    if (series === undefined) byPurpose.set(row.purpose, (series = new Array<number>(24).fill(0)));
    series[i] = (series[i] ?? 0) + row.calls;
  }
  return {
    hours,
    byPurpose: [...byPurpose.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([purpose, calls]) => ({ purpose, calls })),
  };
}

export class ConsoleData {
  constructor(private readonly deps: ConsoleDataDeps) {}

  status(): Promise<StatusReport> {
    return this.deps.ops.status();
  }

  async tenants(): Promise<TenantHealth[]> {
    const [tenants, status, jobs] = await Promise.all([
      this.deps.ops.listTenants(),
      this.deps.ops.status(),
      this.deps.ops.listJobs({}),
    ]);
    const byId = new Map(status.tenants.map((t) => [t.id, t]));
    return Promise.all(
      tenants.map(async (tenant): Promise<TenantHealth> => {
        const row = byId.get(tenant.id);
        return {
          id: tenant.id,
          name: tenant.name,
          keyProven: row?.keyProven ?? false,
          paused: row?.paused ?? null,
          doctor: await this.deps.repo.doctorReport(tenant.id),
          doctorJob: jobs.jobs.find((job) => job.kind === 'doctor' && job.tenantId === tenant.id) ?? null,
        };
      }),
    );
  }

  async knowledge(): Promise<KnowledgePanel[]> {
    const status = await this.deps.ops.status();
    const now = this.deps.clock.now().getTime();
    return Promise.all(
      status.tenants.map(async (tenant): Promise<KnowledgePanel> => {
        const [languages, runs] = await Promise.all([
          this.deps.repo.articlesPerLanguage(tenant.id),
          this.deps.repo.knowledgeRuns(tenant.id),
        ]);
        const ended = runs
          .filter((run) => run.state === 'ok' && run.finishedAt !== null)
          .map((run) => Date.parse(run.finishedAt ?? ''));
        return {
          tenantId: tenant.id,
          languages,
          full: runs.find((run) => run.mode === 'full') ?? null,
          incremental: runs.find((run) => run.mode === 'incremental') ?? null,
          latest: tenant.knowledgeSync ?? null,
          lagMs: ended.length === 0 ? null : now - Math.max(...ended),
        };
      }),
    );
  }

  async monitoring(): Promise<MonitorPanel[]> {
    const status = await this.deps.ops.status();
    return status.tenants.map((tenant) => ({
      tenantId: tenant.id,
      stats: tenant.monitor ?? null,
      pace: tenant.pollPace ?? null,
    }));
  }

  async usage(): Promise<UsagePanel[]> {
    const [tenants, status] = await Promise.all([this.deps.ops.listTenants(), this.deps.ops.status()]);
    const now = this.deps.clock.now();
    const since = new Date(Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR);
    const byId = new Map(status.tenants.map((t) => [t.id, t]));
    return Promise.all(
      tenants.map(async (tenant): Promise<UsagePanel> => {
        const row: TenantStatus | undefined = byId.get(tenant.id);
        const share = tenant.settings.apiBudgetShare;
        const max = row?.orgApiUsage?.max ?? null;
        return {
          tenantId: tenant.id,
          ...hourlySeries(await this.deps.repo.callsPerHour(tenant.id, since), now),
          sharePerHour: max === null ? null : Math.round(((max * share) / 24) * 10) / 10,
          share,
          callsLast24h: row?.callsLast24h ?? 0,
          orgApiUsage: row?.orgApiUsage ?? null,
        };
      }),
    );
  }

  async outbox(): Promise<OutboxPanel> {
    const [status, dead] = await Promise.all([this.deps.ops.status(), this.deps.ops.listDeadLetters()]);
    return { counts: status.outbox ?? [], dead };
  }

  async funnels(): Promise<FunnelPanel[]> {
    const status = await this.deps.ops.status();
    return status.tenants.map((tenant) => ({ tenantId: tenant.id, funnel: readResolutionFunnel(tenant) }));
  }

  async audit(search: AuditSearch): Promise<{ entries: ApiAuditEntry[]; actions: OperatorAction[] }> {
    const [entries, actions] = await Promise.all([
      this.deps.repo.searchAudit(search),
      this.deps.repo.recentActions(50),
    ]);
    return { entries, actions };
  }

  /** Starts a doctor job for the tenant (or returns the one already active); audited. */
  runDoctor(actor: string, tenantId: string): Promise<JobRecord> {
    return this.audited(actor, 'run-doctor', tenantId, tenantId, () =>
      this.deps.ops.startJob(tenantId, 'doctor'),
    );
  }

  /** Puts one dead letter back to be delivered; audited. */
  async retryDeadLetter(actor: string, id: string): Promise<{ retried: string[] }> {
    const letter = (await this.deps.ops.listDeadLetters()).find((dead) => dead.id === id);
    return this.audited(actor, 'retry-dead-letter', letter?.tenantId ?? null, id, () =>
      this.deps.ops.retryDeadLetters({ id }),
    );
  }

  private async audited<T>(
    actor: string,
    action: string,
    tenantId: string | null,
    target: string,
    run: () => Promise<T>,
  ): Promise<T> {
    const record = (outcome: 'ok' | 'failed', detail: string | null): Promise<void> =>
      this.deps.repo.recordAction({
        at: this.deps.clock.now().toISOString(),
        actor,
        action,
        tenantId,
        target,
        outcome,
        detail,
      });
    try {
      const result = await run();
      await record('ok', null);
      return result;
    } catch (err) {
      await record('failed', isAppError(err) ? err.code : 'unexpected error');
      throw err;
    }
  }
}
