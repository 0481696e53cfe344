// The per-tenant API budget rule: how much of the org's daily API allocation casebridge may still spend, and
// whether background work runs normally, slows down near the share, or stops at it. Pure: callers pass the numbers.

export interface ApiBudgetInput {
  /** the org's daily allocation (Sforce-Limit-Info api-usage max); null until a call has reported it */
  dailyMax: number | null;
  /** calls the whole org has used in the current 24-hour window (api-usage used); null when unknown */
  orgUsed: number | null;
  /** the tenant's share of the allocation casebridge may spend (0 < share <= 1) */
  share: number;
  /** calls casebridge itself made for this tenant in the last 24 hours (from the API audit log) */
  ownCallsToday: number;
  /** fraction of the share after which jobs slow down (default 0.8) */
  slowdownFrom?: number;
  /** interval multiplier reached just before the share is spent (default 4) */
  maxSlowdown?: number;
}

export interface ApiBudgetDecision {
  allow: boolean;
  /** 1 = normal pace; above 1 the job's interval is multiplied by it */
  slowdownFactor: number;
  reason: string | null;
  /** calls casebridge may make in the window (floor of share × max), null when the max is not known yet */
  budget: number | null;
  /** calls left before stopping: within our share and within what the org has left */
  remaining: number | null;
  /** why it stopped: casebridge's own share, or the whole org's allocation (as of the last reading) */
  stoppedBy: 'share' | 'org' | null;
}

/**
 * Decides from the numbers. Casebridge stops at its share, and also when the org as a whole has spent its
 * allocation (other integrations count against the same limit). Between `slowdownFrom` and the share the
 * interval grows linearly from 1 to `maxSlowdown`, so work thins out instead of stopping abruptly.
 */
export function decideApiBudget(input: ApiBudgetInput): ApiBudgetDecision {
  const slowdownFrom = input.slowdownFrom ?? 0.8;
  const maxSlowdown = input.maxSlowdown ?? 4;
  if (input.dailyMax === null || input.dailyMax <= 0) {
    return { allow: true, slowdownFactor: 1, reason: null, budget: null, remaining: null, stoppedBy: null };
  }
  const budget = Math.floor(input.dailyMax * Math.min(Math.max(input.share, 0), 1));
  const orgLeft = input.orgUsed === null ? Number.POSITIVE_INFINITY : input.dailyMax - input.orgUsed;
  const remaining = Math.max(0, Math.min(budget - input.ownCallsToday, orgLeft));
  if (input.orgUsed !== null && orgLeft <= 0) {
    return {
      allow: false,
      slowdownFactor: 1,
      reason: `the org has used its whole daily API allocation (${input.orgUsed} of ${input.dailyMax})`,
      budget,
      remaining: 0,
      stoppedBy: 'org',
    };
  }
  if (remaining <= 0) {
    return {
      allow: false,
      slowdownFactor: 1,
      reason: `casebridge used its share of the daily API allocation (${input.ownCallsToday} of ${budget} calls, ${pct(input.share)} of ${input.dailyMax})`,
      budget,
      remaining: 0,
      stoppedBy: 'share',
    };
  }
  const spent = 1 - remaining / budget;
  if (spent < slowdownFrom)
    return { allow: true, slowdownFactor: 1, reason: null, budget, remaining, stoppedBy: null };
  const factor = 1 + ((spent - slowdownFrom) / (1 - slowdownFrom)) * (maxSlowdown - 1);
  return {
    allow: true,
    slowdownFactor: Math.round(factor * 100) / 100,
    reason: `near the API budget: ${remaining} of ${budget} calls left (${pct(spent)} spent), jobs run ${Math.round(factor * 100) / 100}× less often`,
    budget,
    remaining,
    stoppedBy: null,
  };
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
