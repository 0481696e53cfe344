// The audit fields of a row the org writes itself (setup rows, users, grants, spawned comments, new article
// versions), stamped with the org clock as an API create stamps them.

import { formatDatetime } from '../format.js';
import type { SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';

/** CreatedDate/CreatedById, LastModifiedDate/LastModifiedById and SystemModstamp of a row created now by `actor`. */
export function createdStamp(state: OrgState, actor: string | null): SObjectRecord {
  const now = formatDatetime(state.clock.now());
  return {
    CreatedDate: now,
    CreatedById: actor,
    LastModifiedDate: now,
    LastModifiedById: actor,
    SystemModstamp: now,
  };
}
