// GET /metrics on the status API: behind the status token, the Prometheus text format as a Prometheus parser reads
// it, with every series the operator's monitoring expects, from what the store holds; no secret or employee in
// any label.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import parsePrometheusTextFormat from 'parse-prometheus-text-format';

import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../logging/logger.js';
import { openRuntime } from '../main.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { buildStatusApp } from './status-app.js';

const HOUR = 3_600_000;

test('GET /metrics serves every series in the Prometheus text format, behind the status token', async () => {
  const config = loadConfig({
    CASEBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'casebridge-metrics-')),
    CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
  });
  const runtime = await openRuntime(config, { log: silentLogger(), inMemoryStore: true });
  const { store } = runtime;
  const now = Date.now();
  try {
    await store.tenants.insert(makeTenantRecord('acme'));
    const call = (minutesAgo: number, status: number | null, purpose: string) => ({
      tenantId: 'acme',
      at: new Date(now - minutesAgo * 60_000).toISOString(),
      method: 'GET',
      path: '/services/data/v62.0/query?q=REDACTED',
      status,
      errorCode: status === 200 ? null : 'X',
      durationMs: 30,
      apiUsed: 500,
      apiMax: 10_000,
      attempt: 1,
      purpose,
    });
    for (const entry of [
      call(5, 200, 'ticket-monitor'),
      call(6, 200, 'ticket-monitor'),
      call(7, 503, 'ticket-monitor'),
      call(8, null, 'knowledge-sync'),
      // older than 24 hours: not counted
      call(25 * 60, 200, 'ticket-monitor'),
    ])
      await store.audit.record(entry);
    await store.monitorStats.record({
      tenantId: 'acme',
      polledAt: new Date(now - 60_000).toISOString(),
      lagMs: 12_000,
      watched: 9,
      notified: 0,
      calls: 1,
      skipped: {},
    });
    await store.pollPaces.save({
      tenantId: 'acme',
      decidedAt: new Date(now).toISOString(),
      intervalMs: 30_000,
      why: 'active',
      reason: 'a conversation is live',
      allowancePerDay: 3000,
      callsPerDayAtPace: 2880,
    });
    await store.console.markKnowledgeRun('acme', {
      mode: 'incremental',
      state: 'ok',
      startedAt: new Date(now - 2 * HOUR).toISOString(),
      finishedAt: new Date(now - HOUR).toISOString(),
    });
    assert.ok(await store.jobRuns.start('ticket-monitor', 'acme', new Date(now - 60_000), 0));
    await store.jobRuns.finish('ticket-monitor', 'acme', new Date(now - 50_000), 'SF_API_UNAVAILABLE');
    const delivered = await store.outbox.enqueue({
      tenantId: 'acme',
      kind: 'ticket-notification',
      idempotencyKey: 'e1',
      eventId: 'e1',
      orderingKey: 'case-1',
      payload: { employeeEmail: 'jane@example.com' },
    });
    const claimed = await store.outbox.claim(10);
    for (const message of claimed) assert.ok(await store.outbox.complete(message));
    assert.equal(claimed[0]?.id, delivered.id);
    await store.outbox.enqueue({
      tenantId: 'acme',
      kind: 'ticket-notification',
      idempotencyKey: 'e2',
      eventId: 'e2',
      orderingKey: 'case-2',
      payload: {},
    });

    const app = buildStatusApp({
      ops: runtime.admin,
      token: 'status-token',
      log: silentLogger(),
      metrics: { ops: runtime.admin, repo: store.console, clock: runtime.clock },
    });
    try {
      const refused = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(refused.statusCode, 401);
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer status-token' },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const families = new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f]));
      const value = (name: string, labels: Record<string, string>): number | undefined => {
        const sample = families
          .get(name)
          ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
        return sample?.value === undefined ? undefined : Number(sample.value);
      };
      const calls = 'casebridge_salesforce_calls_last_24h';
      assert.equal(value(calls, { tenant: 'acme', purpose: 'ticket-monitor', outcome: 'ok' }), 2);
      assert.equal(value(calls, { tenant: 'acme', purpose: 'ticket-monitor', outcome: 'server_error' }), 1);
      assert.equal(value(calls, { tenant: 'acme', purpose: 'knowledge-sync', outcome: 'network_error' }), 1);
      // 4 calls of a share of 0.5 × 10,000
      assert.equal(value('casebridge_api_share_used_ratio', { tenant: 'acme' }), 4 / 5000);
      assert.equal(value('casebridge_api_share_calls_per_day', { tenant: 'acme' }), 5000);
      assert.equal(value('casebridge_poll_lag_seconds', { tenant: 'acme' }), 12);
      assert.equal(value('casebridge_poll_interval_seconds', { tenant: 'acme' }), 30);
      assert.equal(value('casebridge_cases_watched', { tenant: 'acme' }), 9);
      const syncLag = value('casebridge_knowledge_sync_lag_seconds', { tenant: 'acme' }) ?? 0;
      assert.ok(syncLag >= 3600 && syncLag < 3700, `sync lag ${syncLag}`);
      assert.equal(
        value('casebridge_outbox_messages', {
          tenant: 'acme',
          kind: 'ticket-notification',
          status: 'pending',
        }),
        1,
      );
      assert.equal(
        value('casebridge_outbox_messages', { tenant: 'acme', kind: 'ticket-notification', status: 'dead' }),
        0,
      );
      assert.equal(value('casebridge_outbox_delivered_last_hour', { tenant: 'acme' }), 1);
      assert.ok(
        (value('casebridge_outbox_delivery_latency_seconds', { tenant: 'acme', stat: 'p95' }) ?? -1) >= 0,
      );
      assert.equal(families.get('casebridge_job_runs_total')?.type, 'COUNTER');
      assert.equal(value('casebridge_job_runs_total', { tenant: 'acme', job: 'ticket-monitor' }), 1);
      assert.equal(value('casebridge_job_failures_total', { tenant: 'acme', job: 'ticket-monitor' }), 1);
      // a tenant no ticket has reached autonomous resolution for yet: every stage, at zero
      assert.deepEqual(
        (families.get('casebridge_resolution_funnel_cases')?.metrics ?? []).map((m) => [
          m.labels?.['tenant'],
          m.labels?.['stage'],
          m.value,
        ]),
        ['eligible', 'offered', 'confirmed', 'declined', 'noAnswer', 'reopened'].map((stage) => [
          'acme',
          stage,
          '0',
        ]),
      );
      // labels hold ids, purposes and outcomes only: no email, no case, no URL or secret
      const labelValues = [...families.values()].flatMap((f) =>
        f.metrics.flatMap((m) => Object.values(m.labels ?? {})),
      );
      for (const label of labelValues) assert.doesNotMatch(label, /@|case-|https?:|3MVG9|token/i);
    } finally {
      await app.close();
    }
  } finally {
    await runtime.close();
  }
});
