// Two workers (two runtimes on one PostgreSQL schema) run the Case change stream for the same tenant: only the
// holder of the tenant's stream lease subscribes, a change reaches the outbox once, and when the holder stops the
// other worker takes the stream over and relays the next change. Runs in the PostgreSQL tier (`npm run test:pg`).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { caseStreamRunnerFor, openRuntime, ticketMonitorJobFor, type Runtime } from '../../src/main.js';
import type { CaseStreamRunner } from '../../src/services/tickets/case-stream-runner.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';
import { workerSchema } from '../helpers/pg-workers.js';

const db = workerSchema('cbcdc');
const { url, schema, masterKey } = db;
const TENANT = 'acme';
const TIMING = { leaseMs: 3_000, renewMs: 300 };
let em: StartedEmulator;
let a: Runtime;
let b: Runtime;
let caseId: string;

const control = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> =>
  controlClient(em)<T>(method, path, body);
const status = (value: string): Promise<unknown> =>
  control('POST', `/orgs/${em.orgId}/actions/set-case-status`, { caseId, status: value });

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const waitingNotices = async (): Promise<string[]> =>
  (
    await a.store.db.query<{ event_id: string }>(
      `SELECT event_id FROM outbox WHERE tenant_id = $1 AND kind = 'ticket-notification' ORDER BY id`,
      [TENANT],
    )
  ).rows.map((r) => r.event_id);

const open = (): Promise<Runtime> =>
  openRuntime(loadConfig({ CASEBRIDGE_DATABASE_URL: url ?? '', CASEBRIDGE_MASTER_KEY: masterKey }), {
    log: process.env['CDC_DEBUG'] === undefined ? silentLogger() : createLogger({ level: 'debug' }),
    schema,
  });

before(async () => {
  if (url === undefined) return;
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-cdc-workers-')) });
  await control('PATCH', `/orgs/${em.orgId}/settings`, { changeDataCaptureEntities: ['Case'] });
  await control('PATCH', `/orgs/${em.orgId}/streaming`, { connectTimeoutMs: 2_000 });
  a = await open();
  b = await open();
  await addEmulatorTenant(a.admin, em, TENANT);
  const contactId = (
    await control<{ id: string }>('POST', `/orgs/${em.orgId}/actions/create-record`, {
      sobject: 'Contact',
      fields: { LastName: 'Hopper', Email: 'grace.cdc@example.com' },
    })
  ).id;
  caseId = (
    await control<{ id: string }>('POST', `/orgs/${em.orgId}/actions/create-case`, {
      fields: { Subject: 'Monitor flickers', Status: 'Working', Origin: 'Web', ContactId: contactId },
    })
  ).id;
  const job = ticketMonitorJobFor(a);
  await job.run({
    job: job.name,
    tenantId: TENANT,
    log: silentLogger(),
    signal: new AbortController().signal,
    progress: () => undefined,
  });
});

after(async () => {
  if (url === undefined) return;
  await a.close();
  await b.close();
  await em.close();
  await db.drop();
});

test(
  'one stream per tenant across workers; the other worker takes over when the holder stops',
  { skip: db.skip },
  async () => {
    const first = caseStreamRunnerFor(a, TIMING);
    const second = caseStreamRunnerFor(b, TIMING);
    const runners: CaseStreamRunner[] = [first, second];
    first.start();
    second.start();
    try {
      await until('a worker streams', () => runners.some((r) => r.streaming().includes(TENANT)));
      await sleep(1_000); // several renewals: the other worker still does not stream
      const holders = runners.filter((r) => r.streaming().includes(TENANT));
      assert.equal(holders.length, 1, 'exactly one worker streams the tenant');
      const holder = holders[0] as CaseStreamRunner;
      const other = holder === first ? second : first;

      await status('Waiting on Employee');
      await until('the notification', async () => (await waitingNotices()).length === 1);
      await sleep(500);
      assert.equal((await waitingNotices()).length, 1, 'relayed once');

      await status('Working');
      await sleep(500);
      await holder.stop();
      await until('the other worker streams', () => other.streaming().includes(TENANT), 10_000);
      await status('Waiting on Employee');
      await until('the next notification', async () => (await waitingNotices()).length === 2);
      const ids = await waitingNotices();
      assert.equal(new Set(ids).size, ids.length);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
  },
);
