// Writes to a table whose tenant_id references tenants(id): a tenant that does not exist (never added, or removed
// meanwhile) is TENANT_NOT_FOUND, the coded error the ports promise, never the driver's foreign-key violation.

import { appError } from '../errors/app-error.js';
import { TENANT_NOT_FOUND } from '../errors/codes/tenant.js';
import { sqlState } from './db.js';

/** PostgreSQL's SQLSTATE for a foreign-key violation. */
export const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Runs `write` (one statement naming `tenantId`) and maps a foreign-key violation to TENANT_NOT_FOUND. Inside a
 * transaction the statement's failure still aborts it on PostgreSQL: the coded error is rethrown, never swallowed.
 */
export async function referencingTenant<T>(tenantId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (sqlState(err) === FOREIGN_KEY_VIOLATION)
      throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId }, cause: err });
    throw err;
  }
}
