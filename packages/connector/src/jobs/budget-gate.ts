// The BudgetGate for background jobs: a paused tenant waits out its pause; otherwise the API budget rule decides
// from the tenant's share, casebridge's own calls in the last 24 hours and the latest usage Salesforce reported.

import { decideApiBudget } from '../domain/api-budget.js';
import type {
  ApiAuditRepository,
  BudgetDecision,
  BudgetGate,
  Clock,
  TenantPauseRepository,
  TenantRepository,
} from '../domain/ports.js';

/** Salesforce counts the daily allocation over a rolling 24-hour window. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ApiBudgetGateDeps {
  tenants: Pick<TenantRepository, 'get'>;
  pauses: Pick<TenantPauseRepository, 'get'>;
  audit: Pick<ApiAuditRepository, 'summary'>;
  clock: Clock;
}

export class ApiBudgetGate implements BudgetGate {
  constructor(private readonly deps: ApiBudgetGateDeps) {}

  async check(tenantId: string): Promise<BudgetDecision> {
    const now = this.deps.clock.now();
    const pause = await this.deps.pauses.get(tenantId);
    if (pause !== null && Date.parse(pause.until) > now.getTime()) {
      return {
        allow: false,
        slowdownFactor: 1,
        reason: `paused until ${pause.until}: ${pause.reason}`,
        resumeAt: pause.until,
      };
    }
    const tenant = await this.deps.tenants.get(tenantId);
    if (tenant === null) return { allow: false, slowdownFactor: 1, reason: 'tenant not found' };
    const usage = await this.deps.audit.summary(tenantId, new Date(now.getTime() - WINDOW_MS));
    const decision = decideApiBudget({
      dailyMax: usage.lastApiMax,
      orgUsed: usage.lastApiUsed,
      share: tenant.settings.apiBudgetShare,
      ownCallsToday: usage.calls,
    });
    if (decision.stoppedBy === 'org') {
      // The reading is the last one Salesforce sent, perhaps the 403 itself, and nothing new arrives while no job
      // runs: stopping on it would last until it ages out of the 24-hour window. Once any pause is over, one run
      // probes instead; if the allocation is still spent, its first call pauses the tenant again (an hour).
      return {
        allow: true,
        slowdownFactor: 1,
        reason: `${decision.reason ?? 'the org allocation was spent'} at the last reading; this run checks whether it allows calls again`,
      };
    }
    return { allow: decision.allow, slowdownFactor: decision.slowdownFactor, reason: decision.reason };
  }
}
