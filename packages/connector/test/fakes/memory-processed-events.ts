// In-memory ProcessedEventRepository: the ledger of source events already handled, unique per tenant, kind and
// source id, purged by both of its times as the store purges it.

import type { Clock, ProcessedEventRepository } from '../../src/domain/ports.js';
import { missingTenant, type KnownTenants } from './known-tenants.js';

interface Entry {
  tenantId: string;
  kind: string;
  sourceId: string;
  processedAt: number;
  eventAt: number | null;
}

export class MemoryProcessedEventRepository implements ProcessedEventRepository {
  /** `${tenantId}\n${kind}\n${sourceId}` → the entry */
  readonly rows = new Map<string, Entry>();

  constructor(private readonly deps: { tenants: KnownTenants; clock: Clock }) {}

  private key = (tenantId: string, kind: string, sourceId: string): string =>
    `${tenantId}\n${kind}\n${sourceId}`;

  markProcessed(
    tenantId: string,
    sourceId: string,
    kind: string,
    eventAt: string | null = null,
  ): Promise<boolean> {
    const missing = missingTenant(this.deps.tenants, tenantId);
    if (missing !== null) return Promise.reject(missing);
    const key = this.key(tenantId, kind, sourceId);
    if (this.rows.has(key)) return Promise.resolve(false);
    this.rows.set(key, {
      tenantId,
      kind,
      sourceId,
      processedAt: this.deps.clock.now().getTime(),
      eventAt: eventAt === null ? null : Date.parse(eventAt),
    });
    return Promise.resolve(true);
  }
  isProcessed(tenantId: string, sourceId: string, kind: string): Promise<boolean> {
    return Promise.resolve(this.rows.has(this.key(tenantId, kind, sourceId)));
  }
  processedAmong(
    tenantId: string,
    keys: readonly { kind: string; sourceId: string }[],
  ): Promise<Set<string>> {
    const found = keys.filter((k) => this.rows.has(this.key(tenantId, k.kind, k.sourceId)));
    return Promise.resolve(new Set(found.map((k) => `${k.kind} ${k.sourceId}`)));
  }
  purge(tenantId: string, cutoff: { processedBefore: Date; eventsBefore: Date }): Promise<number> {
    let removed = 0;
    for (const [key, entry] of this.rows) {
      const old = entry.eventAt === null || entry.eventAt < cutoff.eventsBefore.getTime();
      if (entry.tenantId === tenantId && entry.processedAt < cutoff.processedBefore.getTime() && old) {
        this.rows.delete(key);
        removed += 1;
      }
    }
    return Promise.resolve(removed);
  }
}
