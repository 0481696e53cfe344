// What ticket monitoring keeps in the store: the last snapshot of each watched case (to compute status and owner
// changes) and per-tenant counts for the status page. Adapters in store/repositories/.

import type { CaseEmployee } from './case-employee.js';
import type { WatchedCase } from './case-change-source.js';

export interface CaseSnapshot {
  readonly tenantId: string;
  readonly caseId: string;
  readonly snapshot: WatchedCase;
  readonly employee: CaseEmployee;
}

export interface CaseSnapshotRepository {
  getMany(tenantId: string, caseIds: readonly string[]): Promise<Map<string, CaseSnapshot>>;
  put(snapshot: CaseSnapshot): Promise<void>;
  /** a deleted or merged case: nothing more to watch */
  remove(tenantId: string, caseId: string): Promise<void>;
  count(tenantId: string): Promise<number>;
  /** removes, across tenants, snapshots of cases closed in Salesforce and unchanged since `before`; returns how many */
  purgeClosedBefore(before: Date): Promise<number>;
}

/** Why a case or comment gave no notification, counted per tenant. */
export type MonitorSkip =
  | 'no-contact-or-email'
  | 'no-contact-with-email'
  | 'several-contacts-with-email'
  | 'not-monitored'
  | 'internal-comment'
  | 'own-write'
  | 'case-ended';

export interface MonitorPollStats {
  readonly tenantId: string;
  readonly polledAt: string;
  /** how far behind Salesforce the cases stream is: now − its cursor (null before the first row) */
  readonly lagMs: number | null;
  readonly watched: number;
  readonly notified: number;
  /** Salesforce calls this poll made */
  readonly calls: number;
  readonly skipped: Readonly<Partial<Record<MonitorSkip, number>>>;
}

/** A poll as recorded: `watched` null when the poll changed nothing (the count held stays, and is not re-counted). */
export type MonitorPollRecord = Omit<MonitorPollStats, 'watched'> & { readonly watched: number | null };

export interface MonitorStatsRepository {
  /** records a poll; `skipped` and `notified` add up across polls, the rest is the latest */
  record(stats: MonitorPollRecord): Promise<void>;
  get(tenantId: string): Promise<MonitorPollStats | null>;
}

/** At most one holder per (tenant, poller) across every worker sharing the store; a lease ends by itself. */
export interface PollLeaseRepository {
  /** true when `owner` now holds the lease for `ttlMs`; false while another live holder has it */
  acquire(tenantId: string, name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** gives the lease up, only if `owner` still holds it */
  release(tenantId: string, name: string, owner: string): Promise<void>;
}
