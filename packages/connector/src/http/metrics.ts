// `GET /metrics` on the status API (behind the status token): the Prometheus text format through prom-client.
// Every figure is read from the store at scrape time, so each worker's endpoint reports the same shared state.
// Labels carry only tenant ids (chosen by the operator), purposes, outcomes, kinds and stages: never a secret,
// an employee, a case or a URL.

import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';

import type { ConsoleRepository } from '../domain/console-ports.js';
import type { Clock } from '../domain/ports.js';
import type { AdminOperations } from '../services/admin-operations.js';
import { FUNNEL_STAGES, readResolutionFunnel } from '../services/console/resolution-funnel.js';

export interface MetricsDeps {
  ops: Pick<AdminOperations, 'status' | 'listTenants'>;
  repo: Pick<ConsoleRepository, 'callCounts' | 'deliveryLatency' | 'knowledgeRuns'>;
  clock: Clock;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function buildMetrics(deps: MetricsDeps): { registry: Registry; scrape(): Promise<string> } {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]): Gauge =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const calls = gauge(
    'casebridge_salesforce_calls_last_24h',
    'Salesforce API calls in the last 24 hours (OAuth excluded), by tenant, purpose and outcome',
    ['tenant', 'purpose', 'outcome'],
  );
  const shareUsed = gauge(
    'casebridge_api_share_used_ratio',
    "Calls in the last 24 hours over the tenant's share of the org's daily allocation (1 = the share is spent)",
    ['tenant'],
  );
  const shareAllowed = gauge(
    'casebridge_api_share_calls_per_day',
    "The tenant's share of the org's daily API allocation, in calls (known after the first call)",
    ['tenant'],
  );
  const pollLag = gauge(
    'casebridge_poll_lag_seconds',
    'How far ticket monitoring is behind Salesforce: now minus the cases cursor at the last poll',
    ['tenant'],
  );
  const pollInterval = gauge(
    'casebridge_poll_interval_seconds',
    'Ticket monitoring poll interval as last decided',
    ['tenant'],
  );
  const watched = gauge('casebridge_cases_watched', 'Cases ticket monitoring watches', ['tenant']);
  const syncLag = gauge(
    'casebridge_knowledge_sync_lag_seconds',
    'Time since the last successful knowledge sync ended',
    ['tenant'],
  );
  const outbox = gauge(
    'casebridge_outbox_messages',
    'Outbox messages not yet delivered, by status (pending: never tried; retrying: failed, to be retried; dead)',
    ['tenant', 'kind', 'status'],
  );
  const latency = gauge(
    'casebridge_outbox_delivery_latency_seconds',
    'Time from enqueue to delivery of the messages delivered in the last hour (stat: p50, p95, max)',
    ['tenant', 'stat'],
  );
  const delivered = gauge(
    'casebridge_outbox_delivered_last_hour',
    'Outbox messages delivered in the last hour',
    ['tenant'],
  );
  const jobRuns = new Counter({
    name: 'casebridge_job_runs_total',
    help: 'Runs of each recurring job per tenant, as the store records them',
    labelNames: ['tenant', 'job'],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'casebridge_job_failures_total',
    help: 'Failed runs of each recurring job per tenant',
    labelNames: ['tenant', 'job'],
    registers: [registry],
  });
  const funnel = gauge(
    'casebridge_resolution_funnel_cases',
    'The autonomous-resolution funnel per tenant and stage (absent until there is data)',
    ['tenant', 'stage'],
  );

  const refresh = async (): Promise<void> => {
    const now = deps.clock.now();
    const [status, tenants, counts, latencies] = await Promise.all([
      deps.ops.status(),
      deps.ops.listTenants(),
      deps.repo.callCounts(new Date(now.getTime() - DAY)),
      deps.repo.deliveryLatency(new Date(now.getTime() - HOUR)),
    ]);
    registry.resetMetrics();
    for (const row of counts)
      calls.set({ tenant: row.tenantId, purpose: row.purpose, outcome: row.outcome }, row.calls);
    const shareOf = new Map(tenants.map((t) => [t.id, t.settings.apiBudgetShare]));
    for (const tenant of status.tenants) {
      const labels = { tenant: tenant.id };
      const max = tenant.orgApiUsage?.max;
      const share = shareOf.get(tenant.id);
      if (max !== undefined && share !== undefined && max > 0) {
        shareAllowed.set(labels, Math.floor(max * share));
        shareUsed.set(labels, tenant.callsLast24h / (max * share));
      }
      if (tenant.monitor) {
        if (tenant.monitor.lagMs !== null) pollLag.set(labels, tenant.monitor.lagMs / 1000);
        watched.set(labels, tenant.monitor.watched);
      }
      if (tenant.pollPace) pollInterval.set(labels, tenant.pollPace.intervalMs / 1000);
      const ends = (await deps.repo.knowledgeRuns(tenant.id))
        .filter((run) => run.state === 'ok' && run.finishedAt !== null)
        .map((run) => Date.parse(run.finishedAt ?? ''));
      if (ends.length > 0) syncLag.set(labels, (now.getTime() - Math.max(...ends)) / 1000);
      const stages = readResolutionFunnel(tenant);
      if (stages !== null)
        for (const stage of FUNNEL_STAGES) funnel.set({ tenant: tenant.id, stage }, stages[stage]);
    }
    for (const row of status.outbox ?? []) {
      outbox.set({ tenant: row.tenantId, kind: row.kind, status: 'pending' }, row.pending);
      outbox.set({ tenant: row.tenantId, kind: row.kind, status: 'retrying' }, row.retrying);
      outbox.set({ tenant: row.tenantId, kind: row.kind, status: 'dead' }, row.dead);
    }
    for (const row of latencies) {
      delivered.set({ tenant: row.tenantId }, row.delivered);
      latency.set({ tenant: row.tenantId, stat: 'p50' }, row.p50Seconds);
      latency.set({ tenant: row.tenantId, stat: 'p95' }, row.p95Seconds);
      latency.set({ tenant: row.tenantId, stat: 'max' }, row.maxSeconds);
    }
    for (const job of status.jobs) {
      const labels = { tenant: job.tenantId, job: job.job };
      jobRuns.inc(labels, job.runs ?? 0);
      jobFailures.inc(labels, job.failures ?? 0);
    }
  };

  // one scrape at a time: two overlapping refreshes would reset each other's figures
  let queue: Promise<unknown> = Promise.resolve();
  return {
    registry,
    scrape: () => {
      const next = queue.then(async () => {
        await refresh();
        return registry.metrics();
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

export function registerMetrics(app: FastifyInstance, deps: MetricsDeps): void {
  const metrics = buildMetrics(deps);
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.scrape()),
  );
}
