// The recurring per-tenant work the service schedules through the job runner, and the reconciliation that keeps
// the schedule equal to the tenant list (tenants added or removed through the admin API, or by another worker).
// Knowledge sync and ticket monitoring join this list as they land; each costs API calls, so each has its interval.

import type { Clock, TenantRepository } from '../domain/ports.js';
import type { Logger } from '../logging/logger.js';

/** What the service needs of the job runner (jobs/ implements it). */
export interface TenantScheduler {
  scheduleTenant(job: string, tenantId: string, intervalMs: number): Promise<void>;
  unscheduleTenant(tenantId: string, job?: string): Promise<void>;
}

export interface TenantJob {
  name: string;
  intervalMs: number;
  run(tenantId: string, log: Logger): Promise<void>;
}

const CERT_WARN_DAYS = 30;

/**
 * Watches the active certificate's expiry without spending an API call: an expired certificate stops every
 * login, so the operator hears about it a month ahead, in the log and in the job status.
 */
export function certificateWatchJob(deps: { tenants: TenantRepository; clock: Clock }): TenantJob {
  return {
    name: 'certificate-watch',
    intervalMs: 6 * 3_600_000,
    run: async (tenantId, log) => {
      const tenant = await deps.tenants.get(tenantId);
      const key = tenant?.activeKey;
      if (!key) return;
      const days = Math.floor((Date.parse(key.notAfter) - deps.clock.now().getTime()) / 86_400_000);
      if (days < 0) {
        log.error(
          { tenantId, notAfter: key.notAfter },
          'certificate expired: logins fail until the key is rotated',
        );
        throw new Error(`the certificate expired on ${key.notAfter}; rotate the key`);
      }
      if (days < CERT_WARN_DAYS)
        log.warn({ tenantId, days, notAfter: key.notAfter }, 'certificate expires soon: rotate the key');
    },
  };
}

/** Schedules every job for every tenant that exists and unschedules tenants that are gone. Returns the ids scheduled. */
export async function reconcileTenantSchedules(
  deps: { tenants: TenantRepository; scheduler: TenantScheduler },
  jobs: readonly TenantJob[],
  scheduled: Set<string>,
): Promise<Set<string>> {
  const current = new Set((await deps.tenants.list()).map((tenant) => tenant.id));
  for (const id of current) {
    if (scheduled.has(id)) continue;
    for (const job of jobs) await deps.scheduler.scheduleTenant(job.name, id, job.intervalMs);
  }
  for (const id of scheduled) if (!current.has(id)) await deps.scheduler.unscheduleTenant(id);
  return current;
}
