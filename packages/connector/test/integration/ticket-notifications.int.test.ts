// Ticket notifications end to end, as the service runs them: openRuntime + startBackgroundWork (the job runner polls
// the tenant's org in the emulator over HTTP, the outbox dispatcher delivers) and a webhook receiver on 127.0.0.1
// that verifies signatures and deduplicates on Casebridge-Event-Id, written the way docs/webhooks.md says.
// Agents act through the emulator's control plane; the employee's reply goes through runtime.replies.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, startBackgroundWork, type BackgroundWork, type Runtime } from '../../src/main.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const TENANT = 'acme';
let tmp: string;
let em: StartedEmulator;
let rt: Runtime;
let work: BackgroundWork;
let receiver: WebhookReceiver;
let contactId: string;
const EMAIL = 'ada.e2e@example.com';

const control = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> =>
  controlClient(em)<T>(method, path, body);
const act = async (name: string, body: Record<string, unknown>): Promise<string> =>
  (await control<{ id: string }>('POST', `/orgs/${em.orgId}/actions/${name}`, body)).id;

interface Received {
  id: string;
  type: string;
  case: { id: string; state: string };
  comment?: { id: string; body: string };
}
const bodies = (): Received[] => receiver.requests.map((r) => JSON.parse(r.body) as Received);

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** resolves after the monitor finished `n` more polls of the tenant */
async function polls(n: number): Promise<void> {
  const at = async (): Promise<string> => (await rt.store.monitorStats.get(TENANT))?.polledAt ?? '';
  for (let i = 0; i < n; i += 1) {
    const before = await at();
    await until('the next poll', async () => (await at()) !== before);
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-notify-e2e-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator'), dailyApiLimit: 1_000_000 });
  rt = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
      // the receiver listens on loopback over http: both need the operator's explicit allowance
      CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
      CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    }),
    {
      log: silentLogger(),
      inMemoryStore: true,
      // receiver failures retried within the test's time, and never given up on
      outboxPolicy: { backoffBaseMs: 200, backoffMaxMs: 2_000, maxAttempts: 1_000, leaseMs: 60_000 },
    },
  );
  await addEmulatorTenant(rt.admin, em, TENANT);
  await rt.admin.updateTenant(TENANT, { settings: { monitor: { intervalSeconds: 10, lookBackMinutes: 5 } } });
  const { secret } = await rt.webhooks.set(TENANT, 'http://127.0.0.1:1/placeholder');
  assert.ok(secret !== null);
  receiver = await startWebhookReceiver({ secrets: [secret], nowSeconds: () => Date.now() / 1000 });
  await rt.webhooks.set(TENANT, receiver.url);
  contactId = await act('create-record', {
    sobject: 'Contact',
    fields: { LastName: 'Lovelace', Email: EMAIL },
  });
  work = await startBackgroundWork(rt);
});

after(async () => {
  await work.stop();
  await rt.close();
  await receiver.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('an agent public comment and a move to waiting arrive signed; an internal note and the bot’s own reply never do', async () => {
  const caseId = await act('create-case', {
    fields: { Subject: 'VPN drops', Status: 'New', Origin: 'Web', ContactId: contactId },
  });
  await polls(1); // the case's first sight is its baseline
  const secret = 'internal-only-e2e-91c2';
  const noteId = await act('comment-case', { caseId, body: `Billing says: ${secret}`, isPublic: false });
  const commentId = await act('comment-case', { caseId, body: 'Please restart the client.', isPublic: true });
  const reply = await rt.replies.replyAs({
    tenantId: TENANT,
    caseRef: caseId,
    email: EMAIL,
    text: 'Restarted, still dropping.',
    idempotencyKey: 'e2e-reply-1',
  });
  assert.equal(reply.parts, 1);
  await act('set-case-status', { caseId, status: 'Waiting on Employee' });

  await until('two deliveries', () => receiver.accepted.length >= 2);
  await polls(2); // anything else the changes could give would have arrived by now
  await sleep(1_500); // and been dispatched

  const received = bodies().filter((b) => b.case.id === caseId);
  assert.deepEqual(
    received.map((b) => [b.type, b.comment?.id ?? null]),
    [
      ['case.comment_added', commentId],
      ['case.waiting_for_employee', null],
    ],
    'the public comment, then the move to waiting; nothing for the note or the reply',
  );
  assert.equal(received[0]?.comment?.body, 'Please restart the client.');
  for (const request of receiver.requests) {
    assert.ok(request.verified, 'signed with the tenant’s secret');
    assert.equal(
      request.eventId,
      (JSON.parse(request.body) as Received).id,
      'Casebridge-Event-Id is the event id',
    );
    assert.ok(!request.body.includes(secret), 'the internal note reaches no receiver');
    assert.ok(!request.body.includes(noteId));
    assert.ok(!request.body.includes('Restarted, still dropping'), 'the bot’s own comment notifies nobody');
  }
});

test('≥ 500 events under 10% Salesforce faults and 10% receiver failures: zero lost, zero duplicated ids', async (t) => {
  const cases: string[] = [];
  for (let i = 0; i < 10; i += 1)
    cases.push(
      await act('create-case', {
        fields: { Subject: `load ${i}`, Status: 'New', Origin: 'Web', ContactId: contactId },
      }),
    );
  await polls(1);
  const firstRequest = receiver.requests.length;
  // every 20th request answers 503, every 20th (offset) is accepted and its connection dropped: 10% fail
  let n = 0;
  let receiverFailures = 0;
  receiver.fate = () => {
    n += 1;
    if (n % 20 === 3 || n % 20 === 13) receiverFailures += 1;
    if (n % 20 === 3) return { kind: 'answer', status: 503 };
    if (n % 20 === 13) return { kind: 'drop' };
    return { kind: 'answer', status: 204 };
  };
  const faults = [
    { kind: 'server-unavailable', rate: 0.04 },
    { kind: 'invalid-session', rate: 0.03 },
    { kind: 'unable-to-lock-row', rate: 0.03 },
  ];
  // a poll makes a few calls only: each kind also fails the next call once, so every kind is surely met
  for (const fault of faults) {
    await control('POST', '/faults', { ...fault, path: '*/services/data/*', ttlMs: 600_000 });
    await control('POST', '/faults', {
      kind: fault.kind,
      path: '*/services/data/*',
      count: 1,
      ttlMs: 600_000,
    });
  }
  const commentIds = new Set<string>();
  let faultHits = 0;
  const bodyOf = new Map<string, Received>();
  const actedOn = (): Received[] =>
    receiver.accepted.map((id) => bodyOf.get(id)).filter((b): b is Received => b !== undefined);
  const index = (): void => {
    for (const r of receiver.requests.slice(firstRequest))
      if (r.eventId !== undefined && !bodyOf.has(r.eventId))
        bodyOf.set(r.eventId, JSON.parse(r.body) as Received);
  };
  try {
    for (let i = 0; i < 520; i += 1) {
      commentIds.add(
        await act('comment-case', { caseId: cases[i % cases.length], body: `load ${i}`, isPublic: true }),
      );
    }
    await until(
      'every comment delivered',
      () => {
        index();
        const relayed = new Set(actedOn().map((b) => b.comment?.id));
        return [...commentIds].every((id) => relayed.has(id));
      },
      240_000,
    );
  } finally {
    const left = await control<{ hits: number; count?: number }[]>('GET', '/faults');
    const onceLeft = left.filter((f) => f.count !== undefined).length; // a count-1 fault is gone once hit
    faultHits = left.reduce((sum, f) => sum + f.hits, 0) + faults.length - onceLeft;
    await control('DELETE', '/faults');
    receiver.fate = () => ({ kind: 'answer', status: 204 });
  }
  await polls(1);
  await sleep(1_500);
  index();
  const load = receiver.requests.slice(firstRequest).filter((r) => r.verified);
  const acted = actedOn().filter((b) => b.comment !== undefined && commentIds.has(b.comment.id));
  const relayedComments = acted.map((b) => b.comment?.id ?? '');
  const lost = [...commentIds].filter((id) => !relayedComments.includes(id)).length;
  // the receiver dedupes on the event id: a comment sent under two ids would be acted on twice
  const duplicated = relayedComments.length - new Set(relayedComments).size;
  const resends = load.length - new Set(load.map((r) => r.eventId)).size;
  const usage = rt.client.usage(TENANT);
  t.diagnostic(
    `events ${commentIds.size}, lost ${lost}, duplicated ${duplicated}, raw re-sends ${resends}, ` +
      `receiver failures ${receiverFailures}, ` +
      `Salesforce faults hit ${faultHits}, retries ${usage.retries}, re-logins ${usage.reauths}`,
  );
  assert.equal(lost, 0, 'zero lost');
  assert.equal(duplicated, 0, 'zero duplicated');
  assert.ok(resends > 0, 'receiver failures were hit and re-sent');
  assert.ok(usage.retries > 0 || usage.reauths > 0, 'Salesforce faults were hit');
  // in order per case: each case's comments were acted on in the order they were written
  for (const caseId of cases) {
    const order = acted
      .filter((b) => b.case.id === caseId)
      .map((b) => Number(b.comment?.body.replace('load ', '')));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      `case ${caseId} in order`,
    );
  }
});
