// What the tenant service and the key rotation share: the unit of work a tenant's row and secrets are written in,
// the tenant that must exist, its row locked inside a unit of work, and a secret sealed before it is stored.

import type {
  SecretBox,
  SecretRepository,
  TenantRecord,
  TenantRepository,
  TransactionalRepositories,
  TransactionalTenantRepository,
} from '../domain/ports.js';
import type { SecretName } from '../domain/tenant.js';
import { appError } from '../errors/app-error.js';
import { TENANT_NOT_FOUND } from '../errors/codes/tenant.js';

/** What the tenant service needs of the store's unit of work: a tenant's row and its secrets written together. */
export interface TenantUnitOfWork {
  run<T>(fn: (tx: Pick<TransactionalRepositories, 'tenants' | 'secrets'>) => Promise<T>): Promise<T>;
}

/** The tenant; TENANT_NOT_FOUND when absent. */
export async function requireTenant(tenants: TenantRepository, id: string): Promise<TenantRecord> {
  const record = await tenants.get(id);
  if (!record) throw appError(TENANT_NOT_FOUND, { params: { tenant: id } });
  return record;
}

/** Inside a unit of work: the tenant, its row locked until the work commits; TENANT_NOT_FOUND when absent. */
export async function lockTenant(tenants: TransactionalTenantRepository, id: string): Promise<TenantRecord> {
  const record = await tenants.getForUpdate(id);
  if (!record) throw appError(TENANT_NOT_FOUND, { params: { tenant: id } });
  return record;
}

/** Seals the secret for its tenant and field (so it opens under no other), then stores the envelope. */
export async function putSecret(
  box: SecretBox,
  secrets: SecretRepository,
  tenantId: string,
  name: SecretName,
  plaintext: string,
): Promise<void> {
  await secrets.put(tenantId, name, box.seal(plaintext, { tenantId, field: name }));
}
