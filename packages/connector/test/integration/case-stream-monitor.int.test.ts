// Ticket monitoring fed by Change Data Capture, as the service wires it (caseStreamRunnerFor + the monitor job),
// against the emulator's CometD endpoint over HTTP: CDC off → polling only and doctor says what to do; a status
// change reaches the outbox in about a second without a poll; a restart resumes after the saved replay id without
// loss or duplicate; a forgotten client (403::Unknown client) resubscribes; a replay id past the 72-hour retention
// is healed by a poll. The poller reading the same changes afterwards adds nothing (same event ids).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/domain/ports.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { caseStreamRunnerFor, openRuntime, ticketMonitorJobFor, type Runtime } from '../../src/main.js';
import { CASE_EVENTS_STREAM, positionOf } from '../../src/services/tickets/case-stream-position.js';
import type { CaseStreamRunner } from '../../src/services/tickets/case-stream-runner.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';

const TENANT = 'acme';
let tmp: string;
let em: StartedEmulator;
let rt: Runtime;
let contactId: string;
let caseId: string;
/** the connector's clock follows the emulator's when a test moves it (JWT assertions are dated by it) */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

const control = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> =>
  controlClient(em)<T>(method, path, body);
const act = async (name: string, body: Record<string, unknown>): Promise<string> =>
  (await control<{ id: string }>('POST', `/orgs/${em.orgId}/actions/${name}`, body)).id;

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Row {
  event_id: string;
  payload: { kind: string; caseId: string };
}
async function notifications(): Promise<Row[]> {
  const r = await rt.store.db.query<Row>(
    `SELECT event_id, payload FROM outbox WHERE tenant_id = $1 AND kind = 'ticket-notification' ORDER BY id`,
    [TENANT],
  );
  return r.rows.map((row) => ({
    event_id: row.event_id,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Row['payload']) : row.payload,
  }));
}

const polledAt = async (): Promise<string | null> =>
  (await rt.store.monitorStats.get(TENANT))?.polledAt ?? null;

async function pollOnce(): Promise<void> {
  const job = ticketMonitorJobFor(rt);
  await job.run({
    job: job.name,
    tenantId: TENANT,
    log: silentLogger(),
    signal: new AbortController().signal,
    progress: () => undefined,
  });
}

async function streaming(): Promise<CaseStreamRunner> {
  const runner = caseStreamRunnerFor(rt);
  runner.start();
  await until('the stream subscribed', () => runner.streaming().includes(TENANT));
  return runner;
}

/** until the tenant's REST attempts stay the same for half a second (no read in flight) */
async function quiet(): Promise<void> {
  let seen = -1;
  await until('no Salesforce read in flight', async () => {
    const now = rt.client.usage(TENANT).attempts;
    if (now === seen) return true;
    seen = now;
    await sleep(500);
    return false;
  });
}

/** back to work, as the monitor knows it (a poll saw it): the next move to waiting notifies */
async function backToWork(): Promise<void> {
  await act('set-case-status', { caseId, status: 'Working' });
  await pollOnce();
}
/** the change that notifies the employee */
const waitOnEmployee = (): Promise<string> =>
  act('set-case-status', { caseId, status: 'Waiting on Employee' });

const savedReplayId = async (): Promise<number | null> =>
  positionOf(await rt.store.cursors.get(TENANT, CASE_EVENTS_STREAM))?.replayId ?? null;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-cdc-monitor-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator'), dailyApiLimit: 1_000_000 });
  await control('PATCH', `/orgs/${em.orgId}/streaming`, { connectTimeoutMs: 2_000 });
  rt = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    }),
    {
      log: process.env['CDC_DEBUG'] ? createLogger({ level: 'debug' } as never) : silentLogger(),
      inMemoryStore: true,
      clock,
    },
  );
  await addEmulatorTenant(rt.admin, em, TENANT);
  await rt.admin.updateTenant(TENANT, { settings: { monitor: { lookBackMinutes: 5 } } });
  contactId = await act('create-record', {
    sobject: 'Contact',
    fields: { LastName: 'Lovelace', Email: 'ada.cdc@example.com' },
  });
  caseId = await act('create-case', {
    fields: { Subject: 'Laptop will not boot', Status: 'New', Origin: 'Web', ContactId: contactId },
  });
  await pollOnce(); // the case's baseline
});

after(async () => {
  await rt.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('CDC not enabled for Case: doctor says what the admin must do, and the tenant stays polled only', async () => {
  const report = (await rt.admin.doctor(TENANT, {})) as {
    checks: { id: string; status: string; fix?: string }[];
  };
  const line = report.checks.find((c) => c.id === 'monitor.case-change-stream');
  assert.equal(line?.status, 'skip');
  assert.match(line?.fix ?? '', /Change Data Capture, add Case/);
  const runner = caseStreamRunnerFor(rt);
  runner.start();
  await sleep(1_500);
  assert.deepEqual(runner.streaming(), []);
  assert.equal(
    await rt.store.caseStreamLeases.held(TENANT),
    false,
    'no stream lease: the pacer polls as before',
  );
  await runner.stop();
  await waitOnEmployee();
  await pollOnce();
  assert.ok((await notifications()).length >= 1, 'the poller relays the change');

  await control('PATCH', `/orgs/${em.orgId}/settings`, { changeDataCaptureEntities: ['Case'] });
  const enabled = (await rt.admin.doctor(TENANT, {})) as { checks: { id: string; status: string }[] };
  assert.equal(enabled.checks.find((c) => c.id === 'monitor.case-change-stream')?.status, 'pass');
});

test('a status change reaches the outbox in about a second, without a poll; the replay id is saved with it', async () => {
  const runner = await streaming();
  try {
    assert.equal(await rt.store.caseStreamLeases.held(TENANT), true);
    await act('set-case-status', { caseId, status: 'Working' });
    await sleep(1_000); // relayed by the stream: nothing to tell the employee
    const before = (await notifications()).length;
    const lastPoll = await polledAt();
    const started = Date.now();
    await waitOnEmployee();
    await until('the notification', async () => (await notifications()).length > before, 5_000);
    const latencyMs = Date.now() - started;
    assert.ok(latencyMs < 2_000, `${latencyMs} ms`);
    assert.equal(await polledAt(), lastPoll, 'no poll ran: the stream relayed it');
    assert.equal((await notifications()).at(-1)?.payload.caseId, caseId);
    await until('the replay id saved', async () => (await savedReplayId()) !== null);
    // The poller reads the same change later: same event id, nothing new.
    const count = (await notifications()).length;
    await pollOnce();
    assert.equal((await notifications()).length, count);
  } finally {
    await runner.stop();
  }
  assert.equal(await rt.store.caseStreamLeases.held(TENANT), false, 'a stopped runner gives the lease up');
});

test('monitor.caseStream false: the running stream ends, doctor and status say polling only and why; true streams again', async () => {
  const caseChanges = async (): Promise<unknown> =>
    (await rt.admin.status()).tenants.find((t) => t.id === TENANT)?.caseChanges;
  const runner = caseStreamRunnerFor(rt, { renewMs: 200 });
  runner.start();
  try {
    await until('the stream subscribed', () => runner.streaming().includes(TENANT));
    assert.equal(((await caseChanges()) as { source: string }).source, 'stream');
    await rt.admin.updateTenant(TENANT, { settings: { monitor: { caseStream: false } } });
    await until('the stream ended', async () => !(await rt.store.caseStreamLeases.held(TENANT)));
    assert.deepEqual(runner.streaming(), []);
    assert.deepEqual(await caseChanges(), {
      source: 'polling',
      reason: 'streaming turned off for this tenant (settings monitor.caseStream is false)',
    });
    const report = (await rt.admin.doctor(TENANT, {})) as {
      checks: { id: string; status: string; detail?: string; fix?: string }[];
    };
    const line = report.checks.find((c) => c.id === 'monitor.case-change-stream');
    assert.equal(line?.status, 'skip');
    assert.match(line?.detail ?? '', /turned off for this tenant/);
    assert.match(line?.fix ?? '', /monitor\.caseStream=true/);
    await rt.admin.updateTenant(TENANT, { settings: { monitor: { caseStream: true } } });
    await until('the stream back', () => runner.streaming().includes(TENANT));
  } finally {
    await runner.stop();
  }
});

test('a paused tenant (API budget): a change event makes no Salesforce read and saves no position; the poll relays it later; stream requests are counted', async () => {
  await backToWork();
  const runner = await streaming();
  try {
    assert.ok(rt.client.usage(TENANT).streamRequests > 0, 'handshake, subscribe and connects counted');
    // a fresh subscription may replay backToWork's own change and read it: let that read end before the pause, so
    // the count below holds only what the pause must prevent
    await quiet();
    const before = (await notifications()).length;
    const saved = await savedReplayId();
    await rt.store.pauses.pause(
      TENANT,
      new Date(clock.now().getTime() + 3_600_000),
      'REQUEST_LIMIT_EXCEEDED',
    );
    const calls = rt.client.usage(TENANT).attempts;
    await waitOnEmployee();
    await sleep(1_500);
    assert.equal(rt.client.usage(TENANT).attempts, calls, 'no REST read for the event');
    assert.equal((await notifications()).length, before);
    assert.equal(await savedReplayId(), saved, 'the position stays: a restart replays the event');
    await rt.store.pauses.clear(TENANT);
    await pollOnce();
    assert.equal((await notifications()).length, before + 1, 'the safety-net poll relays it');
  } finally {
    await rt.store.pauses.clear(TENANT);
    await runner.stop();
  }
});

test('after a restart the stream resumes after the saved replay id: nothing lost, nothing twice', async () => {
  await backToWork();
  const savedBefore = await savedReplayId();
  const before = await notifications();
  await waitOnEmployee(); // while no worker streams
  const runner = await streaming();
  try {
    await until('the missed change relayed', async () => (await notifications()).length > before.length);
    await until('the position moved', async () => ((await savedReplayId()) ?? 0) > (savedBefore ?? 0));
    await sleep(500);
    const after = await notifications();
    assert.equal(after.length, before.length + 1);
    assert.equal(new Set(after.map((n) => n.event_id)).size, after.length, 'no event id twice');
  } finally {
    await runner.stop();
  }
});

test('a client the server forgot (403::Unknown client) subscribes again and gets the next change', async () => {
  await backToWork();
  const runner = await streaming();
  try {
    const before = (await notifications()).length;
    await control('POST', `/orgs/${em.orgId}/streaming/expire-clients`);
    await waitOnEmployee();
    await until('the change after the re-handshake', async () => (await notifications()).length > before);
  } finally {
    await runner.stop();
  }
});

test('a replay id past the 72-hour retention: a poll heals the gap at once, then the stream goes on (the change right after the heal too)', async () => {
  await backToWork();
  const before = (await notifications()).length;
  await waitOnEmployee();
  await control('POST', '/clock', { advanceMs: 73 * 3_600_000 });
  offsetMs += 73 * 3_600_000;
  const lastPoll = await polledAt();
  const runner = await streaming();
  try {
    await until('the healing poll', async () => (await polledAt()) !== lastPoll);
    await until('the missed change relayed', async () => (await notifications()).length > before);
    await act('set-case-status', { caseId, status: 'Working' });
    await sleep(1_000);
    await waitOnEmployee();
    await until('a new change by the stream', async () => (await notifications()).length > before + 1);
    const all = await notifications();
    assert.equal(new Set(all.map((n) => n.event_id)).size, all.length);
  } finally {
    await runner.stop();
  }
});
