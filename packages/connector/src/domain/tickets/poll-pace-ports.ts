// What the poll pacer reads and keeps: how active a tenant is (from local tables: the replies ledger and the case
// snapshots, never Salesforce) and the pace it decided, which `status` shows. Adapters in store/repositories/.

import type { PollPace } from './poll-pace.js';

export interface PollActivityRepository {
  /** cases with an employee reply through casebridge at or after `since` (the replies ledger) */
  liveConversations(tenantId: string, since: Date): Promise<number>;
  /** watched cases whose snapshot has one of these statuses */
  waitingCases(tenantId: string, waitingStatuses: readonly string[]): Promise<number>;
}

/** Where the daily allocation the pace rests on came from, for `status`. */
export interface PaceAllocation {
  /** limits: a /limits reading; header: the Sforce-Limit-Info of casebridge's latest call; none: not known yet */
  readonly source: 'limits' | 'header' | 'none';
  readonly max: number | null;
  /** the last attempt to read /limits (null: never tried, or /limits is not used) */
  readonly limits: { readonly outcome: StoredApiAllocation['outcome']; readonly readAt: string } | null;
}

export interface DecidedPollPace extends PollPace {
  readonly tenantId: string;
  readonly decidedAt: string;
  /** absent in paces saved before migration 0032 */
  readonly allocation?: PaceAllocation;
}

export interface PollPaceRepository {
  save(pace: DecidedPollPace): Promise<void>;
  get(tenantId: string): Promise<DecidedPollPace | null>;
}

/** What the last attempt to read a tenant's `/limits` found (`store/repositories/api-allocations.ts`). */
export interface StoredApiAllocation {
  readonly tenantId: string;
  /** read: the numbers below; refused: the service user may not read /limits; failed: the call did not answer */
  readonly outcome: 'read' | 'refused' | 'failed';
  /** DailyApiRequests.Max (read only) */
  readonly dailyMax: number | null;
  /** DailyApiRequests.Remaining for the whole org (read only) */
  readonly remaining: number | null;
  readonly readAt: string;
}

export interface ApiAllocationRepository {
  get(tenantId: string): Promise<StoredApiAllocation | null>;
  save(allocation: StoredApiAllocation): Promise<void>;
}

/** Employees talking to the bot (its sessions, `bot_sessions`): read only, for the poll pace. */
export interface BotActivityRepository {
  /**
   * employees with a watched case whose bot session was used at or after `since` and is neither revoked nor
   * expired at `now`
   */
  liveBotEmployees(tenantId: string, since: Date, now: Date): Promise<number>;
}
