// The job runner on PGlite and (when configured) PostgreSQL: tenants run on their own intervals, a failing tenant
// does not stop the others, a slow run never overlaps itself, and a paused tenant is skipped and says why.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { BudgetDecision, BudgetGate } from '../domain/ports.js';
import { silentLogger } from '../logging/logger.js';
import { jobBackendOptions } from '../store/job-backend.js';
import type { Store } from '../store/open-store.js';
import { storeBackends } from '../../test/helpers/store-test-kit.js';
import { JobRunner } from './job-runner.js';

class ScriptedBudget implements BudgetGate {
  readonly decisions = new Map<string, BudgetDecision>();
  check(tenantId: string): Promise<BudgetDecision> {
    return Promise.resolve(this.decisions.get(tenantId) ?? { allow: true, slowdownFactor: 1, reason: null });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of storeBackends()) {
  describe(`job runner on ${backend.name}`, () => {
    let store: Store;
    let sut: JobRunner;
    const budget = new ScriptedBudget();
    const runs = new Map<string, number>();
    const active = new Map<string, number>();
    const maxActive = new Map<string, number>();

    before(async () => {
      store = await backend.open();
      const bossSchema = backend.postgres === null ? 'pgboss' : `${backend.postgres.schema}_boss`;
      sut = new JobRunner({
        boss: jobBackendOptions(store.db, bossSchema),
        budget,
        clock: { now: () => new Date() },
        log: silentLogger(),
        pollingIntervalSeconds: 0.5,
        reconcileIntervalMs: 1_000,
      });
      const track = async (name: string, ms: number) => {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        active.set(name, (active.get(name) ?? 0) + 1);
        maxActive.set(name, Math.max(maxActive.get(name) ?? 0, active.get(name) ?? 0));
        await sleep(ms);
        active.set(name, (active.get(name) ?? 1) - 1);
      };
      sut.register({
        name: 'knowledge-sync',
        retryLimit: 1,
        retryDelaySeconds: 1,
        run: async ({ tenantId }) => {
          await track(`knowledge-sync/${tenantId}`, 20);
          if (tenantId === 'broken') throw new Error('INVALID_SESSION_ID forever');
        },
      });
      sut.register({ name: 'case-sync', run: ({ tenantId }) => track(`case-sync/${tenantId}`, 2_000) });
      await sut.start();
    });
    after(async () => {
      await sut.stop();
      await store.close();
      if (backend.postgres !== null) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: backend.postgres.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${backend.postgres.schema}_boss" CASCADE`);
        await client.end();
      }
      await backend.dispose();
    });

    test('each tenant on its own interval; failures, overlap and pauses stay with their tenant', async () => {
      budget.decisions.set('paused', {
        allow: false,
        slowdownFactor: 1,
        reason: 'paused until later: REQUEST_LIMIT_EXCEEDED',
      });
      await sut.scheduleTenant('knowledge-sync', 'broken', 1_000);
      await sut.scheduleTenant('knowledge-sync', 'healthy', 1_000);
      await sut.scheduleTenant('knowledge-sync', 'rare', 60_000);
      await sut.scheduleTenant('knowledge-sync', 'paused', 1_000);
      await sut.scheduleTenant('case-sync', 'slow', 300);
      await sleep(6_500);

      const status = new Map(sut.status().map((s) => [`${s.job}/${s.tenantId}`, s]));
      assert.ok(
        (runs.get('knowledge-sync/healthy') ?? 0) >= 4,
        `healthy kept its 1 s pace: ${runs.get('knowledge-sync/healthy')}`,
      );
      assert.equal(status.get('knowledge-sync/healthy')?.lastOutcome, 'ok');
      assert.equal(runs.get('knowledge-sync/rare'), 1, 'a 60 s interval ran once');
      assert.ok((runs.get('knowledge-sync/broken') ?? 0) >= 3, 'the failing tenant keeps being tried');
      assert.equal(status.get('knowledge-sync/broken')?.lastError, 'INVALID_SESSION_ID forever');
      assert.ok((status.get('knowledge-sync/broken')?.failures ?? 0) >= 3);

      assert.equal(runs.get('knowledge-sync/paused'), undefined, 'a paused tenant never runs');
      assert.equal(status.get('knowledge-sync/paused')?.paused, true);
      assert.equal(status.get('knowledge-sync/paused')?.lastOutcome, 'skipped');
      assert.match(status.get('knowledge-sync/paused')?.reason ?? '', /REQUEST_LIMIT_EXCEEDED/);

      assert.equal(
        maxActive.get('case-sync/slow'),
        1,
        'a 2 s run on a 300 ms interval never overlaps itself',
      );
      assert.ok((runs.get('case-sync/slow') ?? 0) >= 2 && (runs.get('case-sync/slow') ?? 0) <= 4);
      assert.ok(status.get('case-sync/slow')?.nextRunAt);
    });

    test('a slowed tenant reports why and runs less often; unscheduling stops it', async () => {
      budget.decisions.set('healthy', { allow: true, slowdownFactor: 3, reason: 'near the API budget' });
      await sleep(1_500);
      const before = runs.get('knowledge-sync/healthy') ?? 0;
      await sleep(2_500);
      const slowed = sut.status().find((s) => s.tenantId === 'healthy');
      assert.equal(slowed?.slowdownFactor, 3);
      assert.equal(slowed?.reason, 'near the API budget');
      assert.ok(
        (runs.get('knowledge-sync/healthy') ?? 0) - before <= 1,
        'at 3 s intervals, at most one run in 2.5 s',
      );

      await sut.unscheduleTenant('healthy');
      const stopped = runs.get('knowledge-sync/healthy') ?? 0;
      await sleep(1_500);
      assert.equal(runs.get('knowledge-sync/healthy') ?? 0, stopped);
      assert.ok(!sut.status().some((s) => s.tenantId === 'healthy'));
    });
  });
}
