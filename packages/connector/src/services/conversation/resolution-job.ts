// The recurring autonomous-resolution run of every tenant: each minute, the new monitored cases (from ticket
// monitoring's snapshots, so a quiet tenant's run makes no Salesforce call), expired offers and reopened resolutions.

import type { TenantJob } from '../tenant-jobs.js';
import type { ResolutionService } from './resolution-service.js';

export const RESOLUTION_JOB = 'autonomous-resolution';
export const RESOLUTION_INTERVAL_MS = 60_000;

export function resolutionJob(service: Pick<ResolutionService, 'run'>): TenantJob {
  return {
    name: RESOLUTION_JOB,
    intervalMs: RESOLUTION_INTERVAL_MS,
    run: async ({ tenantId }) => {
      const summary = await service.run(tenantId);
      return { ...summary };
    },
  };
}
