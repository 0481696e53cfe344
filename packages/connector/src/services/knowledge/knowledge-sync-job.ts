// The recurring knowledge sync of every tenant, on the tenant's interval (settings knowledge.syncIntervalMinutes,
// 15 minutes by default): each run reads what changed since the cursor and drops what left the Online set, so a
// removed article leaves search within one interval.

import type { TenantRecord } from '../../domain/ports.js';
import type { TenantJob } from '../tenant-jobs.js';
import type { KnowledgeSyncRunner } from './knowledge-sync-runner.js';

export const KNOWLEDGE_SYNC_JOB = 'knowledge-sync';
export const DEFAULT_SYNC_INTERVAL_MINUTES = 15;

export function knowledgeSyncIntervalMs(tenant: Pick<TenantRecord, 'settings'>): number {
  return (tenant.settings.knowledge.syncIntervalMinutes ?? DEFAULT_SYNC_INTERVAL_MINUTES) * 60_000;
}

export function knowledgeSyncJob(runner: Pick<KnowledgeSyncRunner, 'run'>): TenantJob {
  return {
    name: KNOWLEDGE_SYNC_JOB,
    intervalMs: DEFAULT_SYNC_INTERVAL_MINUTES * 60_000,
    intervalFor: knowledgeSyncIntervalMs,
    // a first load of a large org takes minutes; a retry after a timeout resumes from the load's cursor
    timeoutSeconds: 3600,
    // on demand (`casebridge jobs run knowledge-sync TENANT`), progress reaches the job's record
    run: async ({ tenantId, progress, signal }) => {
      const report = await runner.run(tenantId, progress, { signal });
      return {
        online: report.online,
        read: report.read,
        written: report.written,
        removed: report.removed,
        warnings: report.warnings.length,
      };
    },
  };
}
