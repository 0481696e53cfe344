// What an operator wants to know at a glance, per tenant: is its key proven, is background work paused and why,
// how many Salesforce calls casebridge spent in the last 24 hours and how much of the org's allocation is left.

import type { KnowledgeSyncState, KnowledgeSyncStateRepository } from '../domain/knowledge/sync-ports.js';
import type { ApiAuditRepository, Clock, TenantPauseRepository, TenantRepository } from '../domain/ports.js';
import type { OutboxCounts } from '../domain/webhooks/ports.js';
import type { MonitorPollStats, MonitorStatsRepository } from '../domain/tickets/monitor-ports.js';
import type { DecidedPollPace, PollPaceRepository } from '../domain/tickets/poll-pace-ports.js';

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
}

export interface StatusDeps {
  tenants: TenantRepository;
  audit: ApiAuditRepository;
  pauses: TenantPauseRepository;
  clock: Clock;
  monitorStats?: MonitorStatsRepository;
  knowledgeSync?: Pick<KnowledgeSyncStateRepository, 'get'>;
  pollPaces?: Pick<PollPaceRepository, 'get'>;
}

/** One recurring job of one tenant, as the job runner sees it (jobs/ fills it in). */
export interface JobStatus {
  job: string;
  tenantId: string;
  lastOutcome: 'ok' | 'error' | 'skipped' | null;
  lastRunAt: string | null;
  nextRunAt: string | null;
  paused: boolean;
  slowdownFactor: number;
  reason: string | null;
}

export interface StatusReport {
  at: string;
  /** 'service' when a running service answered (jobs included), 'offline' when read from the store directly */
  source: 'service' | 'offline';
  tenants: TenantStatus[];
  jobs: JobStatus[];
  /** outbox messages waiting, retrying and dead, per tenant and kind (absent from older services) */
  outbox?: OutboxCounts[];
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
      };
    }),
  );
  return { at: now.toISOString(), tenants: rows };
}
