// What an operator wants to know at a glance, per tenant: is its key proven, is background work paused and why,
// how many Salesforce calls casebridge spent in the last 24 hours and how much of the org's allocation is left.

import type { ResolutionFunnel } from '../domain/conversation/resolution-rules.js';
import type { KnowledgeSyncState, KnowledgeSyncStateRepository } from '../domain/knowledge/sync-ports.js';
import type { OutboxCounts } from '../domain/webhooks/ports.js';
import type { MonitorPollStats, MonitorStatsRepository } from '../domain/tickets/monitor-ports.js';
import type { JobRecord } from '../domain/job-state.js';
import type {
  ApiAuditRepository,
  Clock,
  JobRunRecord,
  TenantPauseRepository,
  TenantRepository,
} from '../domain/ports.js';
import type { DecidedPollPace, PollPaceRepository } from '../domain/tickets/poll-pace-ports.js';
import type { CaseStreamLeaseRepository } from '../domain/tickets/case-stream-ports.js';
import { caseStreamSwitch } from '../domain/tickets/case-stream-switch.js';

export interface TenantStatus {
  id: string;
  instanceUrl: string | null;
  keyFingerprint: string | null;
  keyProven: boolean;
  rotationPending: boolean;
  paused: { until: string; reason: string } | null;
  callsLast24h: number;
  orgApiUsage: { used: number; max: number } | null;
  /** ticket monitoring: cases watched, skips by reason, last poll, lag (null before the first poll) */
  monitor?: MonitorPollStats | null;
  /** the newest knowledge sync (running: its progress; finished: counts and first warnings); null before the first */
  knowledgeSync?: KnowledgeSyncState | null;
  /** ticket monitoring's poll interval as last decided, and why (null before the first tick) */
  pollPace?: DecidedPollPace | null;
  /** autonomous resolution's funnel: cases eligible, offered, confirmed, declined, unanswered, reopened */
  autonomousResolution?: ResolutionFunnel;
  /** how Case changes reach the monitor: a worker streams them (polling slowly as a safety net), or polling only */
  caseChanges?: { source: 'stream' | 'polling'; reason: string };
}

export interface StatusDeps {
  tenants: TenantRepository;
  audit: ApiAuditRepository;
  pauses: TenantPauseRepository;
  clock: Clock;
  monitorStats?: MonitorStatsRepository;
  knowledgeSync?: Pick<KnowledgeSyncStateRepository, 'get'>;
  pollPaces?: Pick<PollPaceRepository, 'get'>;
  resolutions?: { funnel(tenantId: string): Promise<ResolutionFunnel> };
  /** the deployment's CASEBRIDGE_CASE_STREAM and the stream leases (a held lease: some worker streams the tenant) */
  caseStream?: { enabled: boolean; leases: Pick<CaseStreamLeaseRepository, 'held'> };
}

/**
 * One recurring job of one tenant. The last run comes from the store (job_runs, written by whichever worker ran
 * it), so every process reports the same; the next run and a pause are the running service's own view.
 */
export interface JobStatus {
  job: string;
  tenantId: string;
  lastOutcome: 'ok' | 'error' | 'skipped' | null;
  lastRunAt: string | null;
  nextRunAt: string | null;
  paused: boolean;
  slowdownFactor: number;
  reason: string | null;
  lastFinishedAt?: string | null;
  lastError?: string | null;
  runs?: number;
  failures?: number;
}

export interface StatusReport {
  at: string;
  /** 'service' when a running service answered (jobs included), 'offline' when read from the store directly */
  source: 'service' | 'offline';
  tenants: TenantStatus[];
  jobs: JobStatus[];
  /** outbox messages waiting, retrying and dead, per tenant and kind (absent from older services) */
  outbox?: OutboxCounts[];
  /** the most recent on-demand jobs, newest first */
  onDemand?: JobRecord[];
}

/**
 * The recurring jobs as the store recorded their runs, with the running service's schedule view laid over them
 * (next run, pause, slowdown; a skipped run is known only to the service that skipped it).
 */
export function mergeJobStatus(runs: readonly JobRunRecord[], live: readonly JobStatus[]): JobStatus[] {
  const byKey = new Map<string, JobStatus>();
  const key = (job: string, tenantId: string): string => `${tenantId}\u0000${job}`;
  for (const run of runs)
    byKey.set(key(run.job, run.tenantId), {
      job: run.job,
      tenantId: run.tenantId,
      lastOutcome: run.outcome,
      lastRunAt: run.startedAt,
      lastFinishedAt: run.finishedAt,
      lastError: run.lastError,
      runs: run.runs,
      failures: run.failures,
      nextRunAt: null,
      paused: false,
      slowdownFactor: 1,
      reason: null,
    });
  for (const view of live) {
    const stored = byKey.get(key(view.job, view.tenantId));
    byKey.set(key(view.job, view.tenantId), {
      ...(stored ?? view),
      nextRunAt: view.nextRunAt,
      paused: view.paused,
      slowdownFactor: view.slowdownFactor,
      reason: view.reason,
      // a run skipped for the budget never reaches the store: the service's outcome is the newer one then
      ...(view.lastOutcome === 'skipped' ? { lastOutcome: 'skipped' as const } : {}),
    });
  }
  return [...byKey.values()].sort(
    (a, b) => a.tenantId.localeCompare(b.tenantId) || a.job.localeCompare(b.job),
  );
}

export async function collectStatus(deps: StatusDeps): Promise<{ at: string; tenants: TenantStatus[] }> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - 86_400_000);
  const tenants = await deps.tenants.list();
  const rows = await Promise.all(
    tenants.map(async (tenant): Promise<TenantStatus> => {
      const [summary, pause, monitor, knowledgeSync] = await Promise.all([
        deps.audit.summary(tenant.id, since),
        deps.pauses.get(tenant.id),
        deps.monitorStats?.get(tenant.id) ?? Promise.resolve(null),
        deps.knowledgeSync?.get(tenant.id),
      ]);
      const active = pause !== null && Date.parse(pause.until) > now.getTime();
      return {
        id: tenant.id,
        instanceUrl: tenant.instanceUrl,
        keyFingerprint: tenant.activeKey?.fingerprint ?? null,
        keyProven: tenant.activeKey?.provenAt != null,
        rotationPending: tenant.pendingKey !== null,
        paused: active ? pause : null,
        callsLast24h: summary.calls,
        orgApiUsage:
          summary.lastApiUsed !== null && summary.lastApiMax !== null
            ? { used: summary.lastApiUsed, max: summary.lastApiMax }
            : null,
        ...(deps.monitorStats === undefined ? {} : { monitor }),
        ...(knowledgeSync === undefined ? {} : { knowledgeSync }),
        ...(deps.pollPaces === undefined ? {} : { pollPace: await deps.pollPaces.get(tenant.id) }),
        ...(deps.resolutions === undefined
          ? {}
          : { autonomousResolution: await deps.resolutions.funnel(tenant.id) }),
        ...(deps.caseStream === undefined
          ? {}
          : { caseChanges: await caseChangesOf(deps.caseStream, tenant) }),
      };
    }),
  );
  return { at: now.toISOString(), tenants: rows };
}

async function caseChangesOf(
  deps: NonNullable<StatusDeps['caseStream']>,
  tenant: Parameters<typeof caseStreamSwitch>[1] & { id: string },
): Promise<NonNullable<TenantStatus['caseChanges']>> {
  const allowed = caseStreamSwitch(deps.enabled, tenant);
  if (!allowed.on) return { source: 'polling', reason: `streaming ${allowed.reason}` };
  return (await deps.leases.held(tenant.id))
    ? { source: 'stream', reason: 'Change Data Capture; Cases also polled slowly as a safety net' }
    : { source: 'polling', reason: 'not streamed now (doctor line monitor.case-change-stream says why)' };
}
