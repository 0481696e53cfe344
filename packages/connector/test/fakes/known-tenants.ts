// Which tenants exist, for the in-memory fakes of ports whose rows belong to a tenant: a Set of ids, or the rows of
// a MemoryTenantRepository. A write for any other tenant is TENANT_NOT_FOUND, as the store's foreign key makes it.

import { appError, type AppError } from '../../src/errors/app-error.js';
import { TENANT_NOT_FOUND } from '../../src/errors/codes/tenant.js';

export interface KnownTenants {
  has(tenantId: string): boolean;
}

/** TENANT_NOT_FOUND for a tenant that does not exist, else null */
export function missingTenant(tenants: KnownTenants, tenantId: string): AppError | null {
  return tenants.has(tenantId) ? null : appError(TENANT_NOT_FOUND, { params: { tenant: tenantId } });
}
