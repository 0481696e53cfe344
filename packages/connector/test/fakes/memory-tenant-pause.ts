// In-memory TenantPauseRepository. Given the tenants that exist, a pause of any other is TENANT_NOT_FOUND, as the
// store's foreign key makes it; without them (tests of the Salesforce client, which model no tenant rows) every
// tenant exists.

import type { TenantPauseRepository } from '../../src/domain/ports.js';
import { missingTenant, type KnownTenants } from './known-tenants.js';

const everyTenant: KnownTenants = { has: () => true };

export class MemoryTenantPauseRepository implements TenantPauseRepository {
  readonly rows = new Map<string, { until: string; reason: string }>();

  constructor(private readonly deps: { tenants: KnownTenants } = { tenants: everyTenant }) {}

  pause(tenantId: string, until: Date, reason: string): Promise<void> {
    const missing = missingTenant(this.deps.tenants, tenantId);
    if (missing !== null) return Promise.reject(missing);
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
