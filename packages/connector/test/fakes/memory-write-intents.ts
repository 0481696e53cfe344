// In-memory WriteIntentRepository: one intent per tenant and idempotency key, the first one kept, started at the
// clock's time; an intent for a tenant that does not exist is TENANT_NOT_FOUND, as the store's foreign key makes it.

import type { Clock, WriteIntent, WriteIntentRepository } from '../../src/domain/ports.js';
import { missingTenant, type KnownTenants } from './known-tenants.js';

export class MemoryWriteIntentRepository implements WriteIntentRepository {
  /** `${tenantId}/${idempotencyKey}` → the intent */
  readonly rows = new Map<string, WriteIntent>();

  constructor(private readonly deps: { tenants: KnownTenants; clock: Clock }) {}

  begin(
    intent: Omit<WriteIntent, 'recordId' | 'startedAt'>,
  ): Promise<{ intent: WriteIntent; created: boolean }> {
    const missing = missingTenant(this.deps.tenants, intent.tenantId);
    if (missing !== null) return Promise.reject(missing);
    const key = `${intent.tenantId}/${intent.idempotencyKey}`;
    const existing = this.rows.get(key);
    if (existing !== undefined) return Promise.resolve({ intent: { ...existing }, created: false });
    const made: WriteIntent = { ...intent, recordId: null, startedAt: this.deps.clock.now().toISOString() };
    this.rows.set(key, made);
    return Promise.resolve({ intent: { ...made }, created: true });
  }
  finish(tenantId: string, idempotencyKey: string, recordId: string): Promise<void> {
    const existing = this.rows.get(`${tenantId}/${idempotencyKey}`);
    if (existing !== undefined) existing.recordId = recordId;
    return Promise.resolve();
  }
  purgeBefore(before: Date): Promise<number> {
    let purged = 0;
    for (const [key, intent] of this.rows)
      if (Date.parse(intent.startedAt) < before.getTime()) {
        this.rows.delete(key);
        purged += 1;
      }
    return Promise.resolve(purged);
  }
  recordIdsAmong(tenantId: string, recordIds: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(recordIds);
    return Promise.resolve(
      new Set(
        [...this.rows.values()]
          .filter(
            (intent) =>
              intent.tenantId === tenantId && intent.recordId !== null && wanted.has(intent.recordId),
          )
          .map((intent) => intent.recordId as string),
      ),
    );
  }
}
