// A tenant's daily API allocation for the poll pace: `/limits` (DailyApiRequests) when the service user may read it,
// else the Sforce-Limit-Info header every API response carries. /limits is a call of its own and counts against the
// allocation, and an allocation changes only when the org's licences or add-ons do, so it is read once a day, again
// within the hour when the header reports a different maximum, and a refusal (no "View Setup and Configuration") or
// a failure is not retried for a day or 15 minutes. Pure: the caller passes the stored reading, the header's maximum
// and now.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm

import type { StoredApiAllocation } from './poll-pace-ports.js';

const HOUR_MS = 3_600_000;
/** a /limits reading is used this long */
export const LIMITS_FRESH_MS = 24 * HOUR_MS;
/** a refused /limits is tried again after this (a permission set may have been assigned meanwhile) */
export const LIMITS_REFUSED_RETRY_MS = 24 * HOUR_MS;
/** a failed /limits call is tried again after this */
export const LIMITS_FAILED_RETRY_MS = 15 * 60_000;
/** the header disagreeing with the reading: /limits is read again, but not within this much of the last read */
export const LIMITS_CHANGED_RECHECK_MS = HOUR_MS;

export interface DailyAllocation {
  readonly max: number | null;
  readonly source: 'limits' | 'header' | 'none';
}

/** True when /limits should be read now. */
export function limitsReadDue(
  stored: StoredApiAllocation | null,
  headerMax: number | null,
  now: Date,
): boolean {
  if (stored === null) return true;
  const age = now.getTime() - Date.parse(stored.readAt);
  if (stored.outcome === 'refused') return age >= LIMITS_REFUSED_RETRY_MS;
  if (stored.outcome === 'failed') return age >= LIMITS_FAILED_RETRY_MS;
  if (age >= LIMITS_FRESH_MS) return true;
  return headerMax !== null && headerMax !== stored.dailyMax && age >= LIMITS_CHANGED_RECHECK_MS;
}

/** The allocation to pace by: a /limits reading when there is one, else the header's. */
export function dailyAllocation(
  stored: StoredApiAllocation | null,
  headerMax: number | null,
): DailyAllocation {
  if (stored?.outcome === 'read' && stored.dailyMax !== null && stored.dailyMax > 0)
    return { max: stored.dailyMax, source: 'limits' };
  if (headerMax !== null && headerMax > 0) return { max: headerMax, source: 'header' };
  return { max: null, source: 'none' };
}
