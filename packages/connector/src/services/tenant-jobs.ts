// The recurring per-tenant work the service schedules through the job runner, and the reconciliation that keeps
// the schedule equal to the tenant list (tenants added or removed through the admin API, or by another worker).
// Knowledge sync and ticket monitoring join this list as they land; each costs API calls, so each has its interval.

import type { Clock, TenantRepository } from '../domain/ports.js';
import { appError } from '../errors/app-error.js';
import { KEYS_CERTIFICATE_EXPIRED } from '../errors/codes/keys.js';
import type { RecurringJobKind } from './job-kinds.js';

/** What the service needs of the job runner (jobs/ implements it). */
export interface TenantScheduler {
  scheduleTenant(job: string, tenantId: string, intervalMs: number): Promise<void>;
  unscheduleTenant(tenantId: string, job?: string): Promise<void>;
}

/** A job kind that recurs for every tenant (services/job-kinds.ts); it can be run on demand too. */
export type TenantJob = RecurringJobKind;

const CERT_WARN_DAYS = 30;

/**
 * Watches the active certificate's expiry without spending an API call: an expired certificate stops every
 * login, so the operator hears about it a month ahead, in the log and in the job status.
 */
export function certificateWatchJob(deps: { tenants: TenantRepository; clock: Clock }): TenantJob {
  return {
    name: 'certificate-watch',
    intervalMs: 6 * 3_600_000,
    run: async ({ tenantId, log, progress }) => {
      const tenant = await deps.tenants.get(tenantId);
      const key = tenant?.activeKey;
      progress({ done: 0, total: key ? 1 : 0, unit: 'certificates' });
      if (!key) return { certificates: 0 };
      const days = Math.floor((Date.parse(key.notAfter) - deps.clock.now().getTime()) / 86_400_000);
      if (days < 0) {
        log.error(
          { tenantId, notAfter: key.notAfter },
          'certificate expired: logins fail until the key is rotated',
        );
        throw appError(KEYS_CERTIFICATE_EXPIRED, { params: { tenant: tenantId, notAfter: key.notAfter } });
      }
      if (days < CERT_WARN_DAYS)
        log.warn({ tenantId, days, notAfter: key.notAfter }, 'certificate expires soon: rotate the key');
      progress({ done: 1, total: 1, unit: 'certificates' });
      return { certificates: 1, notAfter: key.notAfter, daysLeft: days, rotateSoon: days < CERT_WARN_DAYS };
    },
  };
}

/** Schedules every job for every tenant that exists and unschedules tenants that are gone. Returns the ids scheduled. */
export async function reconcileTenantSchedules(
  deps: { tenants: TenantRepository; scheduler: TenantScheduler },
  jobs: readonly Pick<TenantJob, 'name' | 'intervalMs' | 'intervalFor'>[],
  scheduled: Set<string>,
): Promise<Set<string>> {
  const tenants = await deps.tenants.list();
  const current = new Set(tenants.map((tenant) => tenant.id));
  for (const tenant of tenants) {
    if (scheduled.has(tenant.id)) continue;
    for (const job of jobs)
      await deps.scheduler.scheduleTenant(job.name, tenant.id, job.intervalFor?.(tenant) ?? job.intervalMs);
  }
  for (const id of scheduled) if (!current.has(id)) await deps.scheduler.unscheduleTenant(id);
  return current;
}
