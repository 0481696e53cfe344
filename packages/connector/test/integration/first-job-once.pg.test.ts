// Two casebridge worker processes start together on one PostgreSQL database holding 20 tenants none has run yet
// (the issue: 20 of 40 first runs ran twice). Each tenant's first certificate watch runs once in all, the store
// records one run each, and an on-demand job started on one worker runs once and is seen finished by any reader.
// Runs in the PostgreSQL tier (`npm run test:pg`).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import pg from 'pg';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';

const url = process.env['CASEBRIDGE_TEST_DATABASE_URL'];
const WORKER = fileURLToPath(new URL('../helpers/job-worker.fixture.ts', import.meta.url));
const schema = `cbfirstjob_${process.pid}_${randomBytes(3).toString('hex')}`;
const masterKey = randomBytes(32).toString('base64');
const TENANTS = Array.from({ length: 20 }, (_, i) => `new-${i}`);
let runtime: Runtime;

interface WorkerReport {
  runs: Record<string, number>;
  jobId: string | null;
}

function runWorker(ms: number, startFor = ''): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, url ?? '', schema, masterKey, String(ms), startFor],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (process.env['WORKER_DEBUG']) process.stderr.write(err);
      if (code !== 0) reject(new Error(`worker exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport);
    });
  });
}

before(async () => {
  if (url === undefined) return;
  runtime = await openRuntime(
    loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
    { log: silentLogger(), schema },
  );
  for (const id of TENANTS) await runtime.store.tenants.insert(makeTenantRecord(id));
});

after(async () => {
  if (url === undefined) return;
  await runtime.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
  await client.end();
});

test(
  "two workers starting together run each new tenant's first job once, and an on-demand job once",
  { skip: url === undefined && 'needs CASEBRIDGE_TEST_DATABASE_URL (npm run test:pg)' },
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
