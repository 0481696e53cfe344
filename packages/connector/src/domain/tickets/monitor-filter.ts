// Which tickets a tenant monitors, and the checks of that filter against the org's Case describe. Pure.
//
// Record types, origins and the creation date never change the answer for a case once it exists, so the adapter
// puts them in its SOQL (fewer rows read). Statuses and owner queues are where a case starts being watched: a
// watched case that moves to a status outside the list (Closed) or to an agent's queue is still followed, or its
// employee would never hear that it was resolved.

import type { WatchedCase } from './case-change-source.js';

export interface MonitorFilter {
  /** statuses a case must have to start being watched (empty: any) */
  readonly statuses: readonly string[];
  /** origins (empty: any) */
  readonly origins: readonly string[];
  /** record type ids (empty: any) */
  readonly recordTypes?: readonly string[];
  /** only cases created at or after this instant (ISO 8601) */
  readonly createdAfter?: string;
  /** queue ids a case must be owned by to start being watched (empty: any owner) */
  readonly ownerQueues?: readonly string[];
}

/** Whether a case not yet watched starts being watched (the SOQL part of the filter is already applied). */
export function startsWatching(filter: MonitorFilter, supportCase: WatchedCase): boolean {
  if (supportCase.deleted) return false;
  if (filter.statuses.length > 0 && !filter.statuses.includes(supportCase.status)) return false;
  const queues = filter.ownerQueues ?? [];
  if (queues.length > 0 && (supportCase.ownerId === null || !queues.includes(supportCase.ownerId)))
    return false;
  return true;
}
