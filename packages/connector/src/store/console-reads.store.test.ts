// The console's store reads on PGlite and (when configured) PostgreSQL: the audit search by tenant, path (a
// literal substring: `%` and `_` match only themselves), status or status class and time window; calls per hour
// and per outcome; delivery latency; the last doctor report and knowledge runs; the action log.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { ApiAuditEntry } from '../domain/ports.js';
import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

const T0 = Date.parse('2026-11-24T12:00:00.000Z');
const HOUR = 3_600_000;

function call(tenantId: string, msAgo: number, path: string, status: number | null): ApiAuditEntry {
  return {
    tenantId,
    at: new Date(T0 - msAgo).toISOString(),
    method: 'GET',
    path,
    status,
    errorCode: null,
    durationMs: 10,
    apiUsed: null,
    apiMax: null,
    attempt: 1,
    purpose: status === 200 ? 'ticket-monitor' : null,
  };
}

for (const backend of storeBackends()) {
  describe(`console reads on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    before(async () => {
      store = await backend.open({ clock });
      for (const id of ['acme', 'globex']) await store.tenants.insert(makeTenantRecord(id));
      for (const entry of [
        call('acme', 10 * 60_000, '/services/data/v62.0/query?q=REDACTED', 200),
        call('acme', 70 * 60_000, '/services/data/v62.0/composite', 200),
        call('acme', 80 * 60_000, '/services/data/v62.0/sobjects/Case_Comment__x', 403),
        call('acme', 90 * 60_000, '/services/data/v62.0/sobjects/CaseXComment', 404),
        call('acme', 100 * 60_000, '/services/oauth2/token', 400),
        call('globex', 5 * 60_000, '/services/data/v62.0/limits', null),
      ])
        await store.audit.record(entry);
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('the audit search filters by tenant, path substring, status class or code and time, newest first', async () => {
      const paths = async (search: Parameters<Store['console']['searchAudit']>[0]) =>
        (await store.console.searchAudit(search)).map((e) => `${e.tenantId} ${e.status ?? '-'} ${e.path}`);
      assert.equal((await paths({ limit: 100 })).length, 6);
      assert.deepEqual(await paths({ tenantId: 'globex', limit: 100 }), [
        'globex - /services/data/v62.0/limits',
      ]);
      assert.deepEqual(await paths({ tenantId: 'acme', status: { class: 4 }, limit: 100 }), [
        'acme 403 /services/data/v62.0/sobjects/Case_Comment__x',
        'acme 404 /services/data/v62.0/sobjects/CaseXComment',
        'acme 400 /services/oauth2/token',
      ]);
      // `_` is a literal: CaseXComment does not match Case_Comment
      assert.deepEqual(await paths({ path: 'Case_Comment', limit: 100 }), [
        'acme 403 /services/data/v62.0/sobjects/Case_Comment__x',
      ]);
      assert.deepEqual(await paths({ path: '%', limit: 100 }), []);
      assert.deepEqual(await paths({ status: { exact: 200 }, from: new Date(T0 - HOUR), limit: 100 }), [
        'acme 200 /services/data/v62.0/query?q=REDACTED',
      ]);
      assert.deepEqual(await paths({ tenantId: 'acme', to: new Date(T0 - 85 * 60_000), limit: 1 }), [
        'acme 404 /services/data/v62.0/sobjects/CaseXComment',
      ]);
    });

    test('calls per hour and by outcome leave OAuth requests out', async () => {
      const hours = await store.console.callsPerHour('acme', new Date(T0 - 24 * HOUR));
      assert.deepEqual(
        hours.map((h) => [h.hour, h.purpose, h.calls]),
        [
          ['2026-11-24T10:00:00.000Z', 'other', 2],
          ['2026-11-24T10:00:00.000Z', 'ticket-monitor', 1],
          ['2026-11-24T11:00:00.000Z', 'ticket-monitor', 1],
        ],
      );
      const counts = await store.console.callCounts(new Date(T0 - 24 * HOUR));
      assert.deepEqual(
        counts.map((c) => `${c.tenantId} ${c.purpose} ${c.outcome} ${c.calls}`),
        ['acme other client_error 2', 'acme ticket-monitor ok 2', 'globex other network_error 1'],
      );
    });

    test('delivery latency of the messages delivered since a time', async () => {
      await store.outbox.enqueue({ tenantId: 'acme', kind: 'k', idempotencyKey: 'a', payload: {} });
      clock.advance(4000);
      for (const claimed of await store.outbox.claim(10)) assert.ok(await store.outbox.complete(claimed));
      const [latency] = await store.console.deliveryLatency(new Date(T0 - HOUR));
      assert.equal(latency?.tenantId, 'acme');
      assert.equal(latency?.delivered, 1);
      assert.equal(latency?.maxSeconds, 4);
      assert.equal(latency?.p95Seconds, 4);
    });

    test('the last doctor report and knowledge runs are replaced; actions are listed newest first', async () => {
      assert.equal(await store.console.doctorReport('acme'), null);
      const report = { tenantId: 'acme', checkedAt: new Date(T0).toISOString(), ok: true, checks: [] };
      await store.console.saveDoctorReport(report);
      await store.console.saveDoctorReport({ ...report, ok: false });
      assert.equal((await store.console.doctorReport('acme'))?.ok, false);
      const mark = { state: 'ok', startedAt: new Date(T0).toISOString(), finishedAt: null };
      await store.console.markKnowledgeRun('acme', { ...mark, mode: 'full' });
      await store.console.markKnowledgeRun('acme', { ...mark, mode: 'incremental', state: 'running' });
      await store.console.markKnowledgeRun('acme', { ...mark, mode: 'incremental', state: 'failed' });
      assert.deepEqual(
        (await store.console.knowledgeRuns('acme')).map((r) => `${r.mode} ${r.state}`),
        ['full ok', 'incremental failed'],
      );
      for (const [i, action] of ['run-doctor', 'retry-dead-letter'].entries())
        await store.console.recordAction({
          at: new Date(T0 + i * 1000).toISOString(),
          actor: 'console-1',
          action,
          tenantId: 'acme',
          target: 'x',
          outcome: 'ok',
          detail: null,
        });
      assert.deepEqual(
        (await store.console.recentActions(10)).map((a) => a.action),
        ['retry-dead-letter', 'run-doctor'],
      );
    });
  });
}
