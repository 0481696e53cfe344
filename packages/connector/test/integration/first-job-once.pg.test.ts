// Two casebridge worker processes start together on one PostgreSQL database holding 20 tenants none has run yet
// (the issue: 20 of 40 first runs ran twice). Each tenant's first certificate watch runs once in all, the store
// records one run each, and an on-demand job started on one worker runs once and is seen finished by any reader.
// Runs in the PostgreSQL tier (`npm run test:pg`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { Runtime } from '../../src/main.js';
import { openOnSchema, runWorkerFixture, workerSchema } from '../helpers/pg-workers.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';

const db = workerSchema('cbfirstjob');
const TENANTS = Array.from({ length: 20 }, (_, i) => `new-${i}`);
let runtime: Runtime;

interface WorkerReport {
  runs: Record<string, number>;
  jobId: string | null;
}

const runWorker = (ms: number, startFor = ''): Promise<WorkerReport> =>
  runWorkerFixture('job-worker', [db.url ?? '', db.schema, db.masterKey, String(ms), startFor]);

before(async () => {
  if (db.url === undefined) return;
  runtime = await openOnSchema(db);
  for (const id of TENANTS) await runtime.store.tenants.insert(makeTenantRecord(id));
});

after(async () => {
  if (db.url === undefined) return;
  await runtime.close();
  await db.drop('boss');
});

test(
  "two workers starting together run each new tenant's first job once, and an on-demand job once",
  { skip: db.skip },
  async () => {
    const [a, b] = await Promise.all([runWorker(12_000, 'new-0'), runWorker(12_000)]);
    const total = (id: string): number => (a.runs[id] ?? 0) + (b.runs[id] ?? 0);
    // new-0 also ran once on demand
    assert.deepEqual(
      TENANTS.filter((id) => total(id) !== (id === 'new-0' ? 2 : 1)).map((id) => [
        id,
        a.runs[id],
        b.runs[id],
      ]),
      [],
      'each tenant ran once (new-0 twice: its first run and the on-demand one)',
    );
    // the service registers other recurring kinds too (ticket monitor, knowledge sync); this test watches one
    const recorded = (await runtime.store.jobRuns.list()).filter((r) => r.job === 'certificate-watch');
    assert.equal(recorded.length, TENANTS.length);
    assert.ok(
      recorded.every((r) => r.runs === 1 && r.outcome === 'ok'),
      JSON.stringify(recorded),
    );

    assert.ok(a.jobId);
    const job = await runtime.admin.getJob(a.jobId);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.summary?.['certificates'], 1);
    const status = await runtime.admin.status();
    assert.equal(
      status.jobs.filter((j) => j.job === 'certificate-watch' && j.lastOutcome === 'ok').length,
      TENANTS.length,
    );
    assert.ok(status.onDemand?.some((j) => j.id === a.jobId && j.state === 'succeeded'));
  },
);
