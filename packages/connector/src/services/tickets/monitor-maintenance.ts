// Ticket monitoring's housekeeping, run by a recurring timer in main.ts on every worker (each step is one DELETE
// that another worker running it too cannot harm):
// - the processed-event ledger of each tenant, by the rule of domain/event-keys.ts: kept at least 30 days and at
//   least two overlap windows before the tenant's oldest cursor, so no re-read can meet a forgotten event;
// - delivered (`done`) outbox messages after OUTBOX_DONE_RETENTION_MS. The outbox refuses a second message with an
//   idempotency key it holds, and that is the guard for an event the ledger no longer stops: a public comment edited
//   weeks later is in the stream again under its old event id. A done row is written in the same transaction as its
//   ledger entry and finished later, so keeping done rows a week longer than the ledger's minimum means the outbox
//   refuses a re-enqueue for at least as long as the ledger keeps the event, and past that by a week;
// - snapshots of cases closed in Salesforce and unchanged for CLOSED_SNAPSHOT_RETENTION_MS. Should such a case be
//   reopened later, the monitor sees it for the first time again: its reopening is the new baseline (no notification
//   for the reopen itself; what follows notifies as usual).

import { MIN_PROCESSED_RETENTION_MS } from '../../domain/event-keys.js';
import type {
  Clock,
  OutboxRepository,
  ProcessedEventRepository,
  SyncCursorRepository,
  TenantRepository,
} from '../../domain/ports.js';
import type { CaseSnapshotRepository } from '../../domain/tickets/monitor-ports.js';
import type { Logger } from '../../logging/logger.js';
import { purgeProcessedEvents } from '../stream-sync.js';
import { MONITOR_OVERLAP_MS } from './ticket-monitor.js';

const DAY_MS = 86_400_000;
export const OUTBOX_DONE_RETENTION_MS = MIN_PROCESSED_RETENTION_MS + 7 * DAY_MS;
export const CLOSED_SNAPSHOT_RETENTION_MS = 30 * DAY_MS;
export const MONITOR_MAINTENANCE_EVERY_MS = 3_600_000;

export interface MonitorMaintenanceDeps {
  tenants: Pick<TenantRepository, 'list'>;
  processed: ProcessedEventRepository;
  cursors: SyncCursorRepository;
  outbox: Pick<OutboxRepository, 'purgeDone'>;
  snapshots: Pick<CaseSnapshotRepository, 'purgeClosedBefore'>;
  clock: Clock;
  log: Logger;
}

export interface MaintenanceReport {
  processedEvents: number;
  doneMessages: number;
  closedSnapshots: number;
}

export async function runMonitorMaintenance(deps: MonitorMaintenanceDeps): Promise<MaintenanceReport> {
  const now = deps.clock.now().getTime();
  const report: MaintenanceReport = { processedEvents: 0, doneMessages: 0, closedSnapshots: 0 };
  for (const tenant of await deps.tenants.list())
    report.processedEvents += await purgeProcessedEvents(deps, tenant.id, { overlapMs: MONITOR_OVERLAP_MS });
  report.doneMessages = await deps.outbox.purgeDone(new Date(now - OUTBOX_DONE_RETENTION_MS));
  report.closedSnapshots = await deps.snapshots.purgeClosedBefore(
    new Date(now - CLOSED_SNAPSHOT_RETENTION_MS),
  );
  if (report.processedEvents + report.doneMessages + report.closedSnapshots > 0)
    deps.log.info({ ...report }, 'monitor data purged');
  return report;
}
