// Two worker processes on one PostgreSQL database run the same tenant's ticket-monitor job back to back, with every
// poll slowed by the emulator: their polls never overlap (the poll lease), both make progress, and each comment
// reaches the outbox once. Runs in the PostgreSQL tier (`npm run test:pg`).

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
import { openRuntime } from '../../src/main.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';

const url = process.env['CASEBRIDGE_TEST_DATABASE_URL'];
const WORKER = fileURLToPath(new URL('../helpers/monitor-worker.fixture.ts', import.meta.url));
const schema = `cbmonitor_${process.pid}_${randomBytes(3).toString('hex')}`;
const masterKey = randomBytes(32).toString('base64');
let em: StartedEmulator;

interface Run {
  startedAt: number;
  endedAt: number;
  polled: boolean;
}

function runWorker(runs: number): Promise<{ runs: Run[]; notified: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, url ?? '', schema, masterKey, 'acme', String(runs)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`worker exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { runs: Run[]; notified: number });
    });
  });
}

before(async () => {
  if (url === undefined) return;
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'casebridge-monitor-workers-')) });
  const runtime = await openRuntime(
    loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
    { log: silentLogger(), schema },
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
  'two workers never poll one tenant at the same time, and each comment is enqueued once',
  { skip: url === undefined && 'needs CASEBRIDGE_TEST_DATABASE_URL (npm run test:pg)' },
  async () => {
    const control = controlClient(em);
    const act = async (name: string, body: Record<string, unknown>): Promise<string> =>
      (await control<{ id: string }>('POST', `/orgs/${em.orgId}/actions/${name}`, body)).id;
    const caseId = await act('create-case', {
      fields: { Subject: 'Laptop', Status: 'New', Origin: 'Web', ContactId: em.demo?.contactIds[0] },
    });
    // First sight of the case is its baseline; the comments after it are news.
    await runWorker(1);
    const comments = new Set<string>();
    for (let i = 0; i < 6; i += 1)
      comments.add(await act('comment-case', { caseId, body: `step ${i}`, isPublic: true }));
    // Every poll's composite request waits 400 ms: two unguarded workers would overlap.
    await control('POST', '/faults', {
      kind: 'latency',
      path: '*/composite',
      latencyMs: 400,
      ttlMs: 120_000,
    });
    const [a, b] = await Promise.all([runWorker(10), runWorker(10)]);
    await control('DELETE', '/faults');

    const polls = [
      ...a.runs.map((r) => ({ ...r, worker: 'a' })),
      ...b.runs.map((r) => ({ ...r, worker: 'b' })),
    ]
      .filter((r) => r.polled)
      .sort((x, y) => x.startedAt - y.startedAt);
    for (let i = 1; i < polls.length; i += 1) {
      const before = polls[i - 1];
      const now = polls[i];
      assert.ok(before && now);
      assert.ok(
        now.startedAt >= before.endedAt,
        `poll of ${now.worker} started while ${before.worker}'s ran`,
      );
    }
    assert.ok(a.runs.some((r) => r.polled) && b.runs.some((r) => r.polled), 'both workers polled');
    assert.ok(
      [...a.runs, ...b.runs].some((r) => !r.polled),
      'a run found the other worker polling and skipped',
    );

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ comment_id: string }>(
        `SELECT payload->'comment'->>'id' AS comment_id FROM "${schema}".outbox
         WHERE kind = 'ticket-notification' AND payload->>'caseId' = $1`,
        [caseId],
      );
      const relayed = rows.map((r) => r.comment_id);
      assert.equal(relayed.length, comments.size, 'none twice');
      assert.deepEqual(new Set(relayed), comments, 'none lost');
    } finally {
      await client.end();
    }
  },
);
