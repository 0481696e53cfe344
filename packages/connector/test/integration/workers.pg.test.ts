// Two worker processes on one PostgreSQL database share one Salesforce session: under concurrent load they log in
// once per session lifetime, not once per worker or per call (issue: "two workers do not log in twice").
// Runs in the PostgreSQL tier (`npm run test:pg`), against the local server.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import pg from 'pg';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';
import { openRuntime } from '../../src/main.js';

const url = process.env['CASEBRIDGE_TEST_DATABASE_URL'];
const WORKER = fileURLToPath(new URL('../helpers/worker.fixture.ts', import.meta.url));
const schema = `cbworkers_${process.pid}_${randomBytes(3).toString('hex')}`;
const masterKey = randomBytes(32).toString('base64');
let em: StartedEmulator;

interface WorkerReport {
  ok: number;
  failed: string[];
  logins: number;
}

function runWorker(calls: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, url ?? '', schema, masterKey, 'acme', String(calls)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (process.env['WORKER_DEBUG']) process.stderr.write(err);
      if (code !== 0) reject(new Error(`worker exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport);
    });
  });
}

async function successfulLogins(): Promise<number> {
  const log = await controlClient(em)<{ entries: { outcome: string; clientId: string | null }[] }>(
    'GET',
    '/token-log',
  );
  return log.entries.filter((e) => e.outcome === 'success' && e.clientId === em.consumerKey).length;
}

before(async () => {
  if (url === undefined) return;
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'casebridge-workers-')) });
  const runtime = await openRuntime(
    loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
    {
      log: silentLogger(),
      schema,
    },
  );
  try {
    await addEmulatorTenant(runtime.admin, em, 'acme');
  } finally {
    await runtime.close();
  }
});

after(async () => {
  if (url === undefined) return;
  await em.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

test(
  'two workers under concurrent load log in once per session lifetime',
  { skip: url === undefined && 'needs CASEBRIDGE_TEST_DATABASE_URL (npm run test:pg)' },
  async () => {
    const first = await Promise.all([runWorker(15), runWorker(15)]);
    for (const report of first) assert.deepEqual(report.failed, []);
    assert.equal(first[0].ok + first[1].ok, 30);
    assert.equal(await successfulLogins(), 1, 'one token request for both workers and 30 calls');
    assert.equal(first[0].logins + first[1].logins, 1, 'exactly one of the workers logged in');

    // A later run adopts the stored session: no login at all.
    const second = await Promise.all([runWorker(5), runWorker(5)]);
    assert.equal(second[0].logins + second[1].logins, 0);
    assert.equal(await successfulLogins(), 1);

    // The session ends (the app's timeout): both workers see INVALID_SESSION_ID, one re-logs in, both retry once.
    await controlClient(em)('POST', `/orgs/${em.orgId}/sessions/expire`, {});
    const third = await Promise.all([runWorker(10), runWorker(10)]);
    for (const report of third) assert.deepEqual(report.failed, []);
    assert.equal(await successfulLogins(), 2, 'one more token request for the new session lifetime');
  },
);
