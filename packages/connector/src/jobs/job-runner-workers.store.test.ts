// Two job runners (two workers) on one store, PGlite and (when configured) PostgreSQL: a tenant both see at once
// runs its first job once, and the last run is recorded in the store for every process; a run that times out is
// aborted through its signal, its retry never overlaps it, and an attempt whose time ran out before it could start
// is not started.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { BudgetGate } from '../domain/ports.js';
import { silentLogger } from '../logging/logger.js';
import { jobBackendOptions } from '../store/job-backend.js';
import type { Store } from '../store/open-store.js';
import { storeBackends } from '../../test/helpers/store-test-kit.js';
import { JobRunner, type JobDefinition } from './job-runner.js';

// A budget check that takes a moment (it reads the store): the window in which another worker's schedule call
// slips a second run in after the first one was fetched. For the tenant whose job times out, the third check
// (its last retry's) takes longer than the job's whole timeout, as a store under load would.
function budgetGate(): BudgetGate {
  let slowChecks = 0;
  return {
    check: (tenantId) => {
      const third = tenantId === 'slow' && ++slowChecks === 3;
      return sleep(third ? 1_500 : 400).then(() => ({ allow: true, slowdownFactor: 1, reason: null }));
    },
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TENANTS = Array.from({ length: 20 }, (_, i) => `new-${i}`);
/** How long a timed-out run takes to stop after its abort, as a client unwinding a request does. */
const UNWIND_MS = 2_500;

for (const backend of storeBackends()) {
  describe(`two job runners on one ${backend.name} store`, () => {
    let store: Store;
    const runners: JobRunner[] = [];
    const firstRuns = new Map<string, number>();
    const timeouts = { started: 0, ended: 0, active: 0, maxActive: 0 };
    const bossSchema = backend.postgres === null ? 'pgboss_workers' : `${backend.postgres.schema}_boss`;

    const jobs: JobDefinition[] = [
      {
        name: 'first',
        run: async ({ tenantId }) => {
          firstRuns.set(tenantId, (firstRuns.get(tenantId) ?? 0) + 1);
          await sleep(50);
        },
      },
      {
        name: 'hangs',
        timeoutSeconds: 1,
        retryLimit: 2,
        retryDelaySeconds: 1,
        // Waits on nothing but its signal, as a stuck Salesforce call would with a signal-aware client, and takes
        // a while to stop once aborted: longer than pg-boss's first retry delay (1–2 s).
        run: ({ signal }) => {
          timeouts.started += 1;
          timeouts.active += 1;
          timeouts.maxActive = Math.max(timeouts.maxActive, timeouts.active);
          return new Promise<void>((_, reject) => {
            signal.addEventListener('abort', () => {
              void sleep(UNWIND_MS).then(() => {
                timeouts.ended += 1;
                timeouts.active -= 1;
                reject(new Error('stopped: the run timed out'));
              });
            });
          });
        },
      },
    ];

    before(async () => {
      store = await backend.open();
      const budget = budgetGate();
      for (let i = 0; i < 2; i += 1) {
        const runner = new JobRunner({
          boss: jobBackendOptions(store.db, bossSchema),
          budget,
          clock: { now: () => new Date() },
          log: silentLogger(),
          pollingIntervalSeconds: 0.5,
          reconcileIntervalMs: 60_000,
          runs: store.jobRuns,
        });
        for (const job of jobs) runner.register(job);
        await runner.start();
        runners.push(runner);
      }
    });
    after(async () => {
      for (const runner of runners) await runner.stop();
      await store.close();
      if (backend.postgres !== null) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: backend.postgres.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${bossSchema}" CASCADE`);
        await client.end();
      }
      await backend.dispose();
    });

    // Two workers exist only on PostgreSQL: the embedded store is one process (stack-notes), so on PGlite this
    // case is skipped, not reported as passed.
    test(
      'a new tenant seen by both workers at once runs its first job once; the store records it',
      {
        skip: backend.name === 'pglite' ? 'PGlite serves one process: two workers need PostgreSQL' : false,
      },
      async () => {
        const [first, second] = runners;
        assert.ok(first && second);
        await Promise.all(TENANTS.map((id) => first.scheduleTenant('first', id, 600_000)));
        // The second worker sees the new tenants a moment later, and keeps reconciling while the first runs start.
        for (let i = 0; i < 12; i += 1) {
          await Promise.all(TENANTS.map((id) => second.scheduleTenant('first', id, 600_000)));
          await sleep(150);
        }
        for (let waited = 0; waited < 15_000 && firstRuns.size < TENANTS.length; waited += 250)
          await sleep(250);
        await sleep(2_000); // time for a duplicate to show up
        assert.deepEqual(
          TENANTS.filter((id) => firstRuns.get(id) !== 1).map((id) => [id, firstRuns.get(id) ?? 0]),
          [],
          'every tenant ran exactly once',
        );
        const recorded = (await store.jobRuns.list()).filter((r) => r.job === 'first');
        assert.equal(recorded.length, TENANTS.length);
        assert.ok(recorded.every((r) => r.runs === 1 && r.outcome === 'ok' && r.finishedAt !== null));
      },
    );

    // Three attempts (the run and two retries), the workers handing them out: the first two start, are aborted at
    // the timeout and take a while to stop, and each retry starts only after that stop; the last one's budget
    // check outlasts its timeout, so it is failed without starting. On two PostgreSQL workers this used to fail
    // about 1 run in 3: pg-boss failed the job when its expiry ran out, so its retry was fetchable while the
    // aborted run was still stopping, and a run whose budget check outlasted the expiry was started anyway, with a
    // signal already aborted that it never heard ({"started":2,"aborted":1,"maxActive":2}).
    test('a run that times out is aborted through its signal and its retry does not overlap it', async () => {
      await runners[0]?.scheduleTenant('hangs', 'slow', 600_000);
      const settled = async () => {
        const [run] = (await store.jobRuns.list()).filter((r) => r.job === 'hangs');
        return run !== undefined && run.failures >= 3 && run.finishedAt !== null ? run : undefined;
      };
      let run = await settled();
      for (let waited = 0; waited < 30_000 && run === undefined; waited += 250) {
        await sleep(250);
        run = await settled();
      }
      assert.deepEqual(
        { ...timeouts, recorded: run === undefined ? 'not all attempts ended' : run.runs },
        { started: 2, ended: 2, active: 0, maxActive: 1, recorded: 3 },
        'two runs started and stopped one after the other; the attempt out of time never started',
      );
      assert.equal(run?.outcome, 'error');
      assert.match(run?.lastError ?? '', /ran longer than its limit of 1 s/);
    });
  });
}
