// The unit of work: the repositories whose writes commit or roll back together.

import type { OutboxRepository } from './outbox-ports.js';
import type { SecretRepository } from './secret-ports.js';
import type { ProcessedEventRepository, SyncCursorRepository } from './sync-ports.js';
import type { TenantRecord, TenantRepository } from './tenant-ports.js';
import type { CaseSnapshotRepository } from './tickets/monitor-ports.js';

/** The tenant repository inside a unit of work. Removing a tenant is not offered here: `delete` is atomic alone. */
export interface TransactionalTenantRepository extends Omit<TenantRepository, 'delete'> {
  /** reads the tenant and locks its row until the unit of work ends, so no other writer interleaves */
  getForUpdate(id: string): Promise<TenantRecord | null>;
}

export interface TransactionalRepositories {
  cursors: SyncCursorRepository;
  outbox: OutboxRepository;
  processed: ProcessedEventRepository;
  /** the tenant row and its secrets, so a tenant change and its keys are written together */
  tenants: TransactionalTenantRepository;
  secrets: SecretRepository;
  /** ticket monitoring's case snapshots, written with the cursors and outbox messages they go with */
  caseSnapshots: CaseSnapshotRepository;
}

/**
 * Runs `fn` atomically: the writes made through `tx` (cursors, outbox, processed events, tenant rows and secrets)
 * commit or roll back together. Use only `tx` inside: the embedded store has one connection, so another repository
 * used from inside `fn` waits for the unit of work forever.
 */
export interface UnitOfWork {
  run<T>(fn: (tx: TransactionalRepositories) => Promise<T>): Promise<T>;
}
