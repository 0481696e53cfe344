// A doctor query that the org may refuse (a setup object the service user cannot read): refused, it is evidence
// missing, not a failed check.

import type { Tenant } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import type { SalesforceClient } from './salesforce-client.js';

/** One GET /query; an AppError (refused, unknown object) comes back as undefined, anything else throws. */
export async function queryOrUndefined<T>(
  client: SalesforceClient,
  tenant: Tenant,
  text: string,
): Promise<T | undefined> {
  try {
    return await client.request<T>(tenant, {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(text)}`,
      purpose: 'doctor',
    });
  } catch (err) {
    if (isAppError(err)) return undefined;
    throw err;
  }
}
