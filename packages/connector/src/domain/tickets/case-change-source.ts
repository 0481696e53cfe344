// Where ticket monitoring learns what changed on cases: an interface, so polling (salesforce/case-change-poller.ts)
// and later Change Data Capture plug in without touching the rules (notification-rules.ts) or the monitor service.

import type { SyncPage } from '../gateway-ports.js';
import type { CaseComment, Employee, SupportCase } from '../support.js';
import type { SyncCursor } from '../sync-cursor.js';

/** A case as the monitor needs it: the support case plus who last touched it and whether it still exists. */
export interface WatchedCase extends SupportCase {
  /** the user whose write gave the case its current modstamp (the service user: casebridge's own write) */
  readonly lastModifiedById: string | null;
  /** in the recycle bin (deleted, or merged into another case) */
  readonly deleted: boolean;
  /** after a merge: the surviving case */
  readonly mergedInto: string | null;
}

/** Where each of the two streams starts reading (rows strictly after these positions). */
export interface CaseChangeStart {
  readonly cases: SyncCursor;
  readonly comments: SyncCursor;
  /** 200..2000 rows per page (default 2000) */
  readonly pageSize?: number;
}

/**
 * One round of reading: the next page of each stream that still had rows to give (null: that stream was done
 * before this round). The first round always carries both streams (polling reads them in one request).
 */
export interface CaseChangeRound {
  readonly cases: SyncPage<WatchedCase> | null;
  readonly comments: SyncPage<CaseComment> | null;
  /**
   * the streams that continue in the next round (they filled their page): the monitor relays this round only up to
   * where they stopped (round-horizon.ts); absent: neither continues
   */
  readonly more?: { readonly cases: boolean; readonly comments: boolean };
}

export interface CaseChangeSource {
  /** rounds until both streams are exhausted */
  changesSince(start: CaseChangeStart): AsyncIterable<CaseChangeRound>;
  /** the monitored cases among these ids (the tenant's filter applied), deleted ones included */
  casesByIds(ids: readonly string[]): Promise<WatchedCase[]>;
  /** every Contact whose email is one of these (near matches possible: case-employee.ts decides) */
  contactsByEmails(emails: readonly string[]): Promise<Employee[]>;
  /** the user casebridge writes as in this org */
  serviceUserId(): Promise<string>;
}
