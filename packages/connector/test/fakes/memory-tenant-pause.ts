// In-memory TenantPauseRepository.

import type { TenantPauseRepository } from '../../src/domain/ports.js';

export class MemoryTenantPauseRepository implements TenantPauseRepository {
  readonly rows = new Map<string, { until: string; reason: string }>();

  pause(tenantId: string, until: Date, reason: string): Promise<void> {
    this.rows.set(tenantId, { until: until.toISOString(), reason });
    return Promise.resolve();
  }
  get(tenantId: string): Promise<{ until: string; reason: string } | null> {
    return Promise.resolve(this.rows.get(tenantId) ?? null);
  }
  clear(tenantId: string): Promise<void> {
    this.rows.delete(tenantId);
    return Promise.resolve();
  }
}
