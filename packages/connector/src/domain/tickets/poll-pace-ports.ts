// What the poll pacer reads and keeps: how active a tenant is (from local tables: the replies ledger and the case
// snapshots, never Salesforce) and the pace it decided, which `status` shows. Adapters in store/repositories/.

import type { PollPace } from './poll-pace.js';

export interface PollActivityRepository {
  /** cases with an employee reply through casebridge at or after `since` (the replies ledger) */
  liveConversations(tenantId: string, since: Date): Promise<number>;
  /** watched cases whose snapshot has one of these statuses */
  waitingCases(tenantId: string, waitingStatuses: readonly string[]): Promise<number>;
}

export interface DecidedPollPace extends PollPace {
  readonly tenantId: string;
  readonly decidedAt: string;
}

export interface PollPaceRepository {
  save(pace: DecidedPollPace): Promise<void>;
  get(tenantId: string): Promise<DecidedPollPace | null>;
}
