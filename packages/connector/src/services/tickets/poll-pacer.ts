// Decides, at each tick of a tenant's monitor job, whether a poll is due: the pace of domain/tickets/poll-pace.ts
// from the tenant's daily allocation (/limits when the service user may read it, read at most about once a day by
// `allocation`; else the Sforce-Limit-Info header the API audit keeps), casebridge's calls in the last 24 hours,
// what the last poll cost, and the tenant's activity (replies ledger, snapshots, live bot sessions). Apart from that
// rare /limits read every input is local: deciding costs no Salesforce call. The pace is saved for `status`.
//
// Most ticks change nothing (an idle tenant at 60 s is ticked every 5 s), so a tick reads the store only when its
// cached inputs may have moved: they are kept per tenant and used only to say "not due yet". A tick reads them
// again (every store read, as before) when the cached ones say a poll is due, so every poll is decided on fresh
// numbers and polls never come closer than the budget allows; when the settings the pace rests on changed (the job
// reads the tenant every tick); when this process recorded activity (PaceSignals: an employee's reply); and when
// they are older than PACE_INPUTS_TTL_MS. So activity seen only by another worker (a reply it took, a bot session,
// a Case change it streamed) speeds polling within PACE_INPUTS_TTL_MS plus one tick.

import type { ApiAuditRepository, Clock } from '../../domain/ports.js';
import type { MonitorStatsRepository } from '../../domain/tickets/monitor-ports.js';
import type {
  BotActivityRepository,
  DecidedPollPace,
  PollActivityRepository,
  PollPaceRepository,
} from '../../domain/tickets/poll-pace-ports.js';
import type { ApiAllocationReader } from './api-allocation-reader.js';
import {
  decidePollPace,
  DEFAULT_MONITOR_INTERVAL_MS,
  pollDue,
  POLL_FLOOR_MS,
} from '../../domain/tickets/poll-pace.js';
import { waitingStatuses } from './nudge-run.js';
import type { MonitorTenant } from './ticket-monitor.js';
import type { PaceSignals } from './pace-signals.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_LIVE_MINUTES = 10;
export const DEFAULT_RESERVE_SHARE = 0.25;
/**
 * A tick may come this much before the interval has passed: the job ticks at the floor from each run's start and
 * the poll starts a few milliseconds into its run, so without it a poll due at a tick waits a whole tick more (at
 * the 5 s floor: a poll every 10 s). A pace set by the budget is lengthened by as much, so its polls still never
 * come closer than the budget allows.
 */
export const TICK_EARLY_MS = 250;
/** How long a tick trusts cached inputs to say "not due": the staleness bound for activity another worker saw. */
export const PACE_INPUTS_TTL_MS = 30_000;

export interface PollPacerDeps {
  audit: Pick<ApiAuditRepository, 'summary'>;
  stats: Pick<MonitorStatsRepository, 'get'>;
  activity: PollActivityRepository;
  paces: PollPaceRepository;
  clock: Clock;
  /**
   * Change Data Capture (case-stream-runner.ts): while some worker streams the tenant's Case changes, an idle
   * tenant is polled at the safety-net pace (comments have no change event, so a tenant whose case changed within
   * the live window, or with a live conversation, keeps its active pace)
   */
  stream?: (tenantId: string) => Promise<{ streaming: boolean; lastChangeAt: Date | null }>;
  /** the allocation from /limits when permitted (without it: the usage header's, as the audit keeps it) */
  allocation?: Pick<ApiAllocationReader, 'dailyMax' | 'lastReading'>;
  /** employees talking to the bot count as live conversations (the 5 s floor) */
  bots?: BotActivityRepository;
  /** activity this process recorded (an employee's reply): the next tick reads the inputs again */
  signals?: Pick<PaceSignals, 'version'>;
  /** how long cached inputs may say "not due" (default PACE_INPUTS_TTL_MS; 0: every tick reads the store) */
  inputsTtlMs?: number;
}

/** What a tick read, kept so that the ticks after it that change nothing read nothing. */
interface CachedPace {
  pace: DecidedPollPace;
  lastPolledAt: string | null;
  readAt: number;
  settingsKey: string;
  signal: number;
}

/** how often an idle tenant is polled while its Case changes stream: the net under a stream that dies silently */
export const STREAM_SAFETY_NET_MS = 15 * 60_000;

export interface PaceCheck {
  pace: DecidedPollPace;
  due: boolean;
}

export class PollPacer {
  private readonly cached = new Map<string, CachedPace>();

  constructor(private readonly deps: PollPacerDeps) {}

  /** The tick's pace and whether a poll is due now; the pace is saved when the poll is due or it changed. */
  async check(tenant: MonitorTenant & { settings: { apiBudgetShare: number } }): Promise<PaceCheck> {
    const now = this.deps.clock.now();
    const settingsKey = JSON.stringify([
      tenant.settings.apiBudgetShare,
      tenant.settings.monitor,
      waitingStatuses(tenant),
    ]);
    const signal = this.deps.signals?.version(tenant.id) ?? 0;
    const hit = this.cached.get(tenant.id);
    const ttl = this.deps.inputsTtlMs ?? PACE_INPUTS_TTL_MS;
    const age = hit === undefined ? -1 : now.getTime() - hit.readAt;
    if (
      hit !== undefined &&
      age >= 0 &&
      age < ttl &&
      hit.settingsKey === settingsKey &&
      hit.signal === signal &&
      !pollDue(hit.lastPolledAt, hit.pace.intervalMs, new Date(now.getTime() + TICK_EARLY_MS))
    )
      return { pace: hit.pace, due: false };
    const checked = await this.decide(tenant, now, hit?.pace ?? null);
    this.cached.set(tenant.id, { ...checked.cache, readAt: now.getTime(), settingsKey, signal });
    return { pace: checked.pace, due: checked.due };
  }

  /**
   * The caller polled the tenant, starting at `at` (no later than the poll's own start): the ticks until the next
   * poll is due read nothing, instead of reading once more to learn of this poll.
   */
  polled(tenantId: string, at: Date): void {
    const hit = this.cached.get(tenantId);
    if (hit !== undefined) this.cached.set(tenantId, { ...hit, lastPolledAt: at.toISOString() });
  }

  /** Every input read from the store; the pace saved when a poll is due or it differs from the last one saved. */
  private async decide(
    tenant: MonitorTenant & { settings: { apiBudgetShare: number } },
    now: Date,
    known: DecidedPollPace | null,
  ): Promise<PaceCheck & { cache: Pick<CachedPace, 'pace' | 'lastPolledAt'> }> {
    const { deps } = this;
    const monitor = tenant.settings.monitor;
    const liveSince = new Date(now.getTime() - (monitor.liveMinutes ?? DEFAULT_LIVE_MINUTES) * 60_000);
    const [usage, last, live, waiting, stored, stream, bots] = await Promise.all([
      deps.audit.summary(tenant.id, new Date(now.getTime() - DAY_MS)),
      deps.stats.get(tenant.id),
      deps.activity.liveConversations(tenant.id, liveSince),
      deps.activity.waitingCases(tenant.id, waitingStatuses(tenant)),
      // the pace of this process's last tick (saved then, or equal in interval and why to the one saved): the store
      // is asked only at a tenant's first tick
      known === null ? deps.paces.get(tenant.id) : Promise.resolve(known),
      deps.stream?.(tenant.id) ?? null,
      deps.bots?.liveBotEmployees(tenant.id, liveSince, now) ?? Promise.resolve(0),
    ]);
    const streamed = stream?.streaming === true;
    const justChanged = streamed && stream.lastChangeAt !== null && stream.lastChangeAt >= liveSince;
    const allocation =
      deps.allocation === undefined
        ? { max: usage.lastApiMax, source: 'header' as const }
        : await deps.allocation.dailyMax(tenant, usage.lastApiMax);
    const decided = decidePollPace(
      {
        dailyMax: allocation.max,
        share: tenant.settings.apiBudgetShare,
        callsLast24h: usage.calls,
        callsPerPoll: Math.max(1, last?.calls ?? 1),
        liveConversations: live + (justChanged ? 1 : 0),
        waitingCases: waiting,
        liveBotEmployees: bots,
      },
      {
        idleMs: Math.max(
          streamed ? STREAM_SAFETY_NET_MS : 0,
          (monitor.intervalSeconds ?? DEFAULT_MONITOR_INTERVAL_MS / 1000) * 1000,
        ),
        activeMs: (monitor.activeIntervalSeconds ?? POLL_FLOOR_MS / 1000) * 1000,
        reserveShare: monitor.reserveShare ?? DEFAULT_RESERVE_SHARE,
      },
    );
    const byBudget = decided.why === 'budget' || decided.why === 'budget-spent';
    const reading = deps.allocation?.lastReading(tenant.id) ?? null;
    const pace: DecidedPollPace = {
      ...decided,
      intervalMs: byBudget ? decided.intervalMs + TICK_EARLY_MS : decided.intervalMs,
      tenantId: tenant.id,
      decidedAt: now.toISOString(),
      allocation: {
        source: allocation.source,
        max: allocation.max,
        limits: reading === null ? null : { outcome: reading.outcome, readAt: reading.readAt },
      },
    };
    const lastPolledAt = last?.polledAt ?? null;
    const due = pollDue(lastPolledAt, pace.intervalMs, new Date(now.getTime() + TICK_EARLY_MS));
    const changed =
      stored === null ||
      stored.intervalMs !== pace.intervalMs ||
      stored.why !== pace.why ||
      JSON.stringify(stored.allocation ?? null) !== JSON.stringify(pace.allocation);
    if (due || changed) await deps.paces.save(pace);
    return { pace, due, cache: { pace, lastPolledAt } };
  }
}
