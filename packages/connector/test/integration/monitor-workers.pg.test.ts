// Two worker processes on one PostgreSQL database run the same tenant's ticket-monitor job back to back, with every
// poll slowed by the emulator: their polls never overlap (the poll lease), both make progress, and each comment
// reaches the outbox once. Runs in the PostgreSQL tier (`npm run test:pg`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import pg from 'pg';

import { controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { emulatorTenantOnSchema, runWorkerFixture, workerSchema } from '../helpers/pg-workers.js';

const db = workerSchema('cbmonitor');
const { url, schema } = db;
let em: StartedEmulator;

/** one run of the job; when it polled, the time this worker held the tenant's poll lease */
interface Run {
  heldFrom: number;
  heldUntil: number;
  polled: boolean;
}

const runWorker = (runs: number): Promise<{ runs: Run[]; notified: number }> =>
  runWorkerFixture('monitor-worker', [url ?? '', schema, db.masterKey, 'acme', String(runs)]);

before(async () => {
  if (url === undefined) return;
  em = await emulatorTenantOnSchema(db, 'acme');
});

after(async () => {
  if (url === undefined) return;
  await em.close();
  await db.drop();
});

test(
  'two workers never poll one tenant at the same time, and each comment is enqueued once',
  { skip: db.skip },
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
      .sort((x, y) => x.heldFrom - y.heldFrom);
    for (let i = 1; i < polls.length; i += 1) {
      const before = polls[i - 1];
      const now = polls[i];
      assert.ok(before && now);
      assert.ok(
        now.heldFrom >= before.heldUntil,
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
