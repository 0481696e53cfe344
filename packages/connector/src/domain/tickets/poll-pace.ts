// How often a tenant's tickets are polled: as fast as its API share allows, faster while a conversation is live.
// Pure: the caller passes the numbers (the allocation Salesforce last reported, casebridge's calls in the last
// 24 hours, what a poll costs, how active the tenant is) and the settings.
//
// The budget: casebridge may spend `floor(dailyMax × share)` calls in any 24 hours (Salesforce counts the daily
// allocation over a rolling 24 hours). `reserveShare` of that is kept for everything that is not polling (the bot's
// own calls, knowledge sync); polling gets the rest, spread evenly: n = allowance / callsPerPoll polls a day, one
// every 24 h / (n − 1) (polls every T put floor(24 h / T) + 1 into a window).
// At that pace polling alone never spends more than its allowance in any 24 hours, whatever the activity.
//
// The wish: a tenant with a live conversation (an employee reply or bot interaction within `liveMinutes`) or a case
// waiting on its employee is polled at the floor (5 s); an idle tenant at its idle interval. The interval is the
// slower of the wish and the budget's pace.

export const POLL_FLOOR_MS = 5_000;

/** a tenant's monitor interval when `monitor.intervalSeconds` is unset (the idle wish) */
export const DEFAULT_MONITOR_INTERVAL_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PollPaceSettings {
  /** the interval of an idle tenant (monitor.intervalSeconds, default 60 s) */
  idleMs: number;
  /** the interval of an active tenant, never below POLL_FLOOR_MS (default: the floor) */
  activeMs: number;
  /** share of casebridge's budget kept for calls that are not polling (default 0.25) */
  reserveShare: number;
}

export interface PollPaceInput {
  /** the org's daily allocation as last reported (Sforce-Limit-Info or /limits); null before any call */
  dailyMax: number | null;
  /** the tenant's share of the allocation (0 < share <= 1) */
  share: number;
  /** casebridge's calls for this tenant in the last 24 hours (every purpose) */
  callsLast24h: number;
  /** Salesforce calls a poll makes (an idle poll: 1, both streams in one composite) */
  callsPerPoll: number;
  /** cases with an employee reply or bot interaction within the live window */
  liveConversations: number;
  /** watched cases waiting on their employee */
  waitingCases: number;
  /** employees with a watched case talking to the bot within the live window (a live bot session); default 0 */
  liveBotEmployees?: number;
}

export type PollPaceWhy = 'active' | 'idle' | 'budget' | 'budget-spent' | 'allocation-unknown';

export interface PollPace {
  readonly intervalMs: number;
  readonly why: PollPaceWhy;
  /** one line for `status` */
  readonly reason: string;
  /** calls a day polling may spend (null until the allocation is known) */
  readonly allowancePerDay: number | null;
  /** polls a day at this interval × calls per poll */
  readonly callsPerDayAtPace: number;
}

export function decidePollPace(input: PollPaceInput, settings: PollPaceSettings): PollPace {
  const activeMs = Math.max(POLL_FLOOR_MS, settings.activeMs);
  const idleMs = Math.max(activeMs, settings.idleMs);
  const bots = input.liveBotEmployees ?? 0;
  const active = input.liveConversations > 0 || input.waitingCases > 0 || bots > 0;
  const wishMs = active ? activeMs : idleMs;
  const perPoll = Math.max(1, input.callsPerPoll);
  // Polls every T ms put at most floor(24 h / T) + 1 polls into any 24-hour window.
  const perDay = (intervalMs: number): number => (Math.floor(DAY_MS / intervalMs) + 1) * perPoll;
  const activity = active
    ? `${input.liveConversations} live conversation(s), ${input.waitingCases} case(s) waiting on the employee${bots > 0 ? `, ${bots} employee(s) talking to the bot` : ''}`
    : 'no live conversation and no case waiting on the employee';

  if (input.dailyMax === null || input.dailyMax <= 0) {
    // Unknown allocation: the idle pace until the first call reports it (that call is the first poll).
    return {
      intervalMs: idleMs,
      why: 'allocation-unknown',
      reason: 'the daily API allocation is not known yet: idle pace until a call reports it',
      allowancePerDay: null,
      callsPerDayAtPace: perDay(idleMs),
    };
  }
  const budget = Math.floor(input.dailyMax * Math.min(Math.max(input.share, 0), 1));
  const reserve = Math.ceil(budget * Math.min(Math.max(settings.reserveShare, 0), 1));
  const allowance = Math.max(0, budget - reserve);
  // Slowest the budget allows: n = allowance / perPoll polls in any 24 hours, i.e. floor(24 h / T) + 1 <= n.
  const polls = Math.floor(allowance / perPoll);
  const budgetMs = polls <= 1 ? DAY_MS : Math.max(POLL_FLOOR_MS, Math.floor(DAY_MS / (polls - 1)) + 1);
  if (input.callsLast24h + perPoll > budget) {
    // One more poll would pass the share (the bot spent more than its reserve, or the share was lowered): four
    // times slower until the window's oldest calls age out; the budget gate stops every job at the share itself.
    const intervalMs = Math.min(DAY_MS, Math.max(wishMs, budgetMs * 4));
    return {
      intervalMs,
      why: 'budget-spent',
      reason: `${input.callsLast24h} calls in 24 h: another poll would pass the share of ${budget} calls: polling 4× slower`,
      allowancePerDay: allowance,
      callsPerDayAtPace: perDay(intervalMs),
    };
  }
  if (budgetMs > wishMs)
    return {
      intervalMs: budgetMs,
      why: 'budget',
      reason: `limited by the API share: ${allowance} calls a day for polling (${budget} share, ${reserve} kept for the bot), ${perPoll} a poll (${activity})`,
      allowancePerDay: allowance,
      callsPerDayAtPace: perDay(budgetMs),
    };
  return {
    intervalMs: wishMs,
    why: active ? 'active' : 'idle',
    // the why (active or idle) is shown beside it; the reason says what makes it so
    reason: activity,
    allowancePerDay: allowance,
    callsPerDayAtPace: perDay(wishMs),
  };
}

/** True when a poll is due: never polled, or the interval has passed since the last poll started. */
export function pollDue(lastPolledAt: string | null, intervalMs: number, now: Date): boolean {
  return lastPolledAt === null || now.getTime() - Date.parse(lastPolledAt) >= intervalMs;
}
