// Two worker processes on one PostgreSQL database share one Salesforce session: under concurrent load they log in
// once per session lifetime, not once per worker or per call (issue: "two workers do not log in twice").
// Runs in the PostgreSQL tier (`npm run test:pg`), against the local server.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { emulatorTenantOnSchema, runWorkerFixture, workerSchema } from '../helpers/pg-workers.js';

const db = workerSchema('cbworkers');
let em: StartedEmulator;

interface WorkerReport {
  ok: number;
  failed: string[];
  logins: number;
}

const runWorker = (calls: number): Promise<WorkerReport> =>
  runWorkerFixture('worker', [db.url ?? '', db.schema, db.masterKey, 'acme', String(calls)], 60_000);

async function successfulLogins(): Promise<number> {
  const log = await controlClient(em)<{ entries: { outcome: string; clientId: string | null }[] }>(
    'GET',
    '/token-log',
  );
  return log.entries.filter((e) => e.outcome === 'success' && e.clientId === em.consumerKey).length;
}

before(async () => {
  if (db.url === undefined) return;
  em = await emulatorTenantOnSchema(db, 'acme');
});

after(async () => {
  if (db.url === undefined) return;
  await em.close();
  await db.drop();
});

test('two workers under concurrent load log in once per session lifetime', { skip: db.skip }, async () => {
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
});
