// The recurring per-tenant ticket monitor: each run takes the tenant's poll lease (so two workers never poll one
// tenant at once, however long a poll takes) and polls once. A worker that finds the lease held skips the run.

import type { Clock, IdGenerator, TenantRecord, TenantRepository } from '../../domain/ports.js';
import type { CaseChangeSource } from '../../domain/tickets/case-change-source.js';
import type { PollLeaseRepository } from '../../domain/tickets/monitor-ports.js';
import type { TenantJob } from '../tenant-jobs.js';
import { DEFAULT_MONITOR_INTERVAL_MS, POLL_FLOOR_MS } from '../../domain/tickets/poll-pace.js';
import type { NudgeReport, NudgeRun } from './nudge-run.js';
import type { PollPacer } from './poll-pacer.js';
import type { PollReport, TicketMonitor } from './ticket-monitor.js';

export const TICKET_MONITOR_JOB = 'ticket-monitor';
const LEASE = 'ticket-monitor';
// the idle interval sits with the pace rules (poll-pacer.ts needs it too); re-exported for existing importers
export { DEFAULT_MONITOR_INTERVAL_MS };
/** Longer than the job runner's run timeout (900 s), so the lease never ends while its poll still runs. */
export const MONITOR_LEASE_MS = 960_000;

export interface MonitorJobDeps {
  tenants: Pick<TenantRepository, 'get'>;
  monitor: TicketMonitor;
  leases: PollLeaseRepository;
  /** the tenant's change source, and its count of Salesforce calls so far */
  sourceFor(tenant: TenantRecord): { source: CaseChangeSource; callCount: () => number };
  ids: IdGenerator;
  clock: Clock;
  /**
   * With a pacer the job ticks at the 5 s floor and each tick polls only when the tenant's pace says a poll is
   * due (domain/tickets/poll-pace.ts); without one it polls every `monitor.intervalSeconds`.
   */
  pacer?: Pick<PollPacer, 'check'> & Partial<Pick<PollPacer, 'polled'>>;
  /** reminders to waiting employees, decided after each poll from the snapshots it wrote (no Salesforce call) */
  nudges?: Pick<NudgeRun, 'run'>;
  /** told about every run: polled (with its report) or skipped because another worker held the lease */
  onRun?(
    tenantId: string,
    outcome: { polled: false } | { polled: true; report: PollReport; nudged?: NudgeReport },
  ): void;
}

export function ticketMonitorJob(deps: MonitorJobDeps): TenantJob {
  return {
    name: TICKET_MONITOR_JOB,
    intervalMs: DEFAULT_MONITOR_INTERVAL_MS,
    intervalFor: (tenant) =>
      deps.pacer !== undefined
        ? POLL_FLOOR_MS
        : (tenant.settings.monitor.intervalSeconds ?? DEFAULT_MONITOR_INTERVAL_MS / 1000) * 1000,
    run: async ({ tenantId, log, signal }) => {
      const tenant = await deps.tenants.get(tenantId);
      if (tenant === null) return;
      if (deps.pacer !== undefined && !(await deps.pacer.check(tenant)).due) return;
      const owner = deps.ids.next();
      if (!(await deps.leases.acquire(tenantId, LEASE, owner, MONITOR_LEASE_MS))) {
        log.info({ tenantId }, 'ticket poll skipped: another worker is polling this tenant');
        deps.onRun?.(tenantId, { polled: false });
        return;
      }
      try {
        const { source, callCount } = deps.sourceFor(tenant);
        const pollStart = deps.clock.now();
        const report = await deps.monitor.poll(tenant, source, { signal, callCount });
        deps.pacer?.polled?.(tenantId, pollStart);
        // Under the same lease, so two workers never decide one tenant's reminders at once.
        const nudged: NudgeReport | null = deps.nudges === undefined ? null : await deps.nudges.run(tenant);
        deps.onRun?.(tenantId, { polled: true, report, ...(nudged === null ? {} : { nudged }) });
      } finally {
        await deps.leases.release(tenantId, LEASE, owner).catch((err: unknown) => {
          log.warn({ tenantId, err }, 'could not release the poll lease: it expires by itself');
        });
      }
    },
  };
}
