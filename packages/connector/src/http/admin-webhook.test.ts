// A tenant's webhook and the outbox's dead letters through the admin API (what the CLI calls while a service runs),
// on the runtime main.ts builds: URLs refused when saved, the secret shown once and stored sealed, rotation with
// two secrets, a signed test event, and dead letters listed, counted in status and retried into a delivery.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { loadConfig } from '../config/load-config.js';
import type { TicketNotification } from '../domain/tickets/notification-rules.js';
import { TICKET_NOTIFICATION_KIND } from '../domain/webhooks/ports.js';
import { OutboxDispatcher } from '../jobs/outbox-dispatcher.js';
import { silentLogger } from '../logging/logger.js';
import { openRuntime, type Runtime } from '../main.js';
import { ticketNotificationHandler } from '../notify/webhook/ticket-notification-handler.js';
import type { HostResolver } from '../notify/webhook/url-policy.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { RemoteAdmin } from '../cli/remote-admin.js';
import { buildAdminApp } from './admin-app.js';

const TOKEN = 'admin-token-for-tests';
const auth = { authorization: `Bearer ${TOKEN}` };
const clock = new FixedClock('2026-12-01T10:00:00.000Z');
const nowSeconds = (): number => clock.now().getTime() / 1000;
/** the names tests use, and where they lead now (tests change it to model DNS changing after a save) */
const dns = new Map<string, string>([
  ['receiver.test', '127.0.0.1'],
  ['intranet.test', '192.168.0.10'],
]);
const resolve: HostResolver = (hostname) => {
  const address = dns.get(hostname);
  return address === undefined
    ? Promise.reject(Object.assign(new Error('no such host'), { code: 'ENOTFOUND' }))
    : Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
};

let runtime: Runtime;
let sut: FastifyInstance;
let receiver: WebhookReceiver;
let dispatcher: OutboxDispatcher;

before(async () => {
  const config = loadConfig({
    CASEBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'casebridge-webhook-admin-')),
    CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
    CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  });
  runtime = await openRuntime(config, {
    log: silentLogger(),
    inMemoryStore: true,
    clock,
    webhookResolver: resolve,
  });
  await runtime.store.tenants.insert(makeTenantRecord('acme'));
  sut = buildAdminApp({ ops: runtime.admin, token: TOKEN, log: silentLogger() });
  receiver = await startWebhookReceiver({ secrets: [], nowSeconds });
  dispatcher = new OutboxDispatcher({
    outbox: runtime.store.outbox,
    handlers: {
      [TICKET_NOTIFICATION_KIND]: ticketNotificationHandler({
        webhooks: runtime.webhooks,
        sender: runtime.webhookSender,
      }),
    },
    log: silentLogger(),
    clock,
  });
});

after(async () => {
  await receiver.close();
  await sut.close();
  await runtime.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function call(
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  payload?: object,
): Promise<Answer> {
  const response = await sut.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  return {
    status: response.statusCode,
    body: response.body === '' ? {} : response.json<Answer['body']>(),
  };
}

let serial = 0;
async function enqueueNotification(): Promise<TicketNotification> {
  serial += 1;
  const notification: TicketNotification = {
    eventId: `acme:500AA000001abcdEAA:comment:00a${serial}:public`,
    kind: 'agent-comment',
    tenantId: 'acme',
    caseId: '500AA000001abcdEAA',
    caseNumber: '00001001',
    employeeId: '003AA000004adaXQAQ',
    state: 'IN_PROGRESS',
    occurredAt: clock.now().toISOString(),
    comment: {
      id: `00a${serial}`,
      body: `Agent reply number ${serial}`,
      createdAt: clock.now().toISOString(),
    },
  };
  await runtime.store.outbox.enqueue({
    tenantId: 'acme',
    kind: TICKET_NOTIFICATION_KIND,
    idempotencyKey: notification.eventId,
    eventId: notification.eventId,
    orderingKey: notification.caseId,
    payload: notification,
  });
  return notification;
}

test('URLs that lead to private addresses, carry credentials or skip https rules are refused when saved', async () => {
  const refused = [
    ['http://10.0.0.1/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    [`http://127.0.0.2:${receiver.port}/hook`, 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://169.254.169.254/latest/meta-data', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://[::1]/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://[fe80::1]/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://[fc00::5]/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://[::ffff:192.168.0.1]/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://[::ffff:a00:1]/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://intranet.test/hook', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'],
    ['http://nowhere.test/hook', 'NOTIFY_WEBHOOK_HOST_UNRESOLVED'],
    [`http://bot:pw@127.0.0.1:${receiver.port}/hook`, 'NOTIFY_WEBHOOK_URL_CREDENTIALS'],
    ['ftp://receiver.test/hook', 'NOTIFY_WEBHOOK_URL_INVALID'],
  ] as const;
  for (const [url, code] of refused) {
    const answer = await call('PUT', '/v1/tenants/acme/webhook', { url });
    assert.equal(answer.status, 400, url);
    assert.equal(answer.body.error?.code, code, url);
  }
  const none = await call('GET', '/v1/tenants/acme/webhook');
  assert.equal(none.body.error?.code, 'NOTIFY_WEBHOOK_NOT_CONFIGURED');
  const unknown = await call('PUT', '/v1/tenants/nobody/webhook', { url: receiver.url });
  assert.equal(unknown.body.error?.code, 'TENANT_NOT_FOUND');
  const untested = await call('POST', '/v1/tenants/nobody/webhook/test');
  assert.equal(untested.status, 404);
  assert.equal(untested.body.error?.code, 'TENANT_NOT_FOUND');
});

test('the signing secret is shown once, when made, and stored sealed; a test event verifies with it', async () => {
  const saved = await call('PUT', '/v1/tenants/acme/webhook', { url: receiver.url });
  assert.equal(saved.status, 200);
  const secret = saved.body['secret'];
  assert.ok(typeof secret === 'string' && /^whsec_[A-Za-z0-9_-]{43}$/.test(secret), String(secret));
  const shown = await call('GET', '/v1/tenants/acme/webhook');
  assert.deepEqual(
    { url: shown.body['url'], activeSecrets: shown.body['activeSecrets'], rotating: shown.body['rotating'] },
    { url: receiver.url, activeSecrets: 1, rotating: false },
  );
  assert.ok(!JSON.stringify(shown.body).includes(secret.slice(6)));
  const envelope = await runtime.store.secrets.get('acme', 'webhook_secret');
  assert.ok(envelope !== null && !envelope.includes(secret.slice(6)), 'sealed at rest');
  // saving the URL again keeps the secret and does not show it
  const resaved = await call('PUT', '/v1/tenants/acme/webhook', { url: receiver.url });
  assert.equal(resaved.body['secret'], null);

  receiver.secrets = [secret];
  const tested = await call('POST', '/v1/tenants/acme/webhook/test');
  assert.equal(tested.status, 200);
  assert.deepEqual(tested.body['outcome'], { kind: 'delivered', status: 204 });
  const request = receiver.requests.at(-1);
  assert.ok(request?.verified);
  assert.equal((JSON.parse(request.body) as { type: string }).type, 'casebridge.test');
  assert.equal(request.eventId, tested.body['eventId']);
});

test('rotation: both secrets sign until it is finished, so a receiver holding either one verifies', async () => {
  const old = (await runtime.webhooks.active('acme'))?.secrets[0];
  assert.ok(old);
  const rotated = await call('POST', '/v1/tenants/acme/webhook/secret-rotation');
  const fresh = rotated.body['secret'];
  assert.ok(typeof fresh === 'string' && fresh.startsWith('whsec_') && fresh !== old);
  assert.equal((rotated.body['webhook'] as { activeSecrets: number }).activeSecrets, 2);
  const twice = await call('POST', '/v1/tenants/acme/webhook/secret-rotation');
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error?.code, 'NOTIFY_WEBHOOK_ROTATION_PENDING');

  for (const held of [[old], [fresh]]) {
    receiver.secrets = held;
    const sent = await enqueueNotification();
    assert.equal((await dispatcher.drainOnce()).done, 1);
    assert.ok(receiver.accepted.includes(sent.eventId), 'verified and acted on');
  }

  const finished = await call('POST', '/v1/tenants/acme/webhook/secret-rotation/finish');
  assert.deepEqual([finished.body['rotating'], finished.body['activeSecrets']], [false, 1]);
  assert.deepEqual((await runtime.webhooks.active('acme'))?.secrets, [fresh]);
  const again = await call('POST', '/v1/tenants/acme/webhook/secret-rotation/finish');
  assert.equal(again.body.error?.code, 'NOTIFY_WEBHOOK_NO_ROTATION');
  receiver.secrets = [fresh];
});

test('a refused delivery is a dead letter: listed without its text, counted in status, retried and delivered', async () => {
  receiver.fate = () => ({ kind: 'answer', status: 410 });
  const sent = await enqueueNotification();
  assert.equal((await dispatcher.drainOnce()).dead, 1);

  const dead = await call('GET', '/v1/outbox/dead?tenant=acme');
  const letters = dead.body as unknown as { id: string; eventId: string; lastError: string }[];
  assert.equal(letters.length, 1);
  const [letter] = letters;
  assert.ok(letter);
  assert.equal(letter.eventId, sent.eventId);
  assert.match(letter.lastError, /HTTP 410/);
  assert.ok(!JSON.stringify(letters).includes('Agent reply'), 'no payload in the listing');
  const status = await call('GET', '/v1/status');
  assert.deepEqual(status.body['outbox'], [
    { tenantId: 'acme', kind: TICKET_NOTIFICATION_KIND, pending: 0, retrying: 0, dead: 1 },
  ]);

  receiver.fate = () => ({ kind: 'answer', status: 204 });
  const missing = await call('POST', '/v1/outbox/dead/999999/retry');
  assert.equal(missing.body.error?.code, 'JOBS_DEAD_LETTER_NOT_FOUND');
  const retried = await call('POST', `/v1/outbox/dead/${letter.id}/retry`);
  assert.deepEqual(retried.body['retried'], [letter.id]);
  assert.equal((await dispatcher.drainOnce()).done, 1);
  assert.ok(receiver.accepted.includes(sent.eventId));
  assert.deepEqual((await call('GET', '/v1/outbox/dead')).body, []);
});

test("a receiver's Retry-After is waited for (at most the longest backoff) before the retry", async () => {
  for (const [retryAfter, waitMs] of [
    ['600', 600_000],
    ['315360000', 3_600_000],
  ] as const) {
    let answers = 0;
    receiver.fate = () =>
      answers++ === 0
        ? { kind: 'answer', status: 503, headers: { 'retry-after': retryAfter } }
        : { kind: 'answer', status: 204 };
    const sent = await enqueueNotification();
    assert.equal((await dispatcher.drainOnce()).retrying, 1);
    clock.advance(waitMs - 1_000);
    assert.equal((await dispatcher.drainOnce()).claimed, 0, `still waiting after ${waitMs - 1_000} ms`);
    clock.advance(1_000);
    assert.equal((await dispatcher.drainOnce()).done, 1);
    assert.ok(receiver.accepted.includes(sent.eventId));
  }
  receiver.fate = () => ({ kind: 'answer', status: 204 });
});

test('a saved name that later resolves to a private address is refused at send time, then retried with --all', async () => {
  const saved = await call('PUT', '/v1/tenants/acme/webhook', {
    url: `http://receiver.test:${receiver.port}/casebridge/events`,
  });
  assert.equal(saved.status, 200);
  dns.set('receiver.test', '10.1.2.3');
  const before = receiver.requests.length;
  const sent = await enqueueNotification();
  assert.equal((await dispatcher.drainOnce()).dead, 1);
  assert.equal(receiver.requests.length, before, 'nothing reached any receiver');
  const [letter] = (await call('GET', '/v1/outbox/dead')).body as unknown as { lastError: string }[];
  assert.match(letter?.lastError ?? '', /10\.1\.2\.3, which is not a public address/);

  dns.set('receiver.test', '127.0.0.1');
  const retried = await call('POST', '/v1/outbox/dead/retry', { tenant: 'acme' });
  assert.equal((retried.body['retried'] as string[]).length, 1);
  assert.equal((await dispatcher.drainOnce()).done, 1);
  assert.ok(receiver.accepted.includes(sent.eventId));
});

test("the CLI's remote client reaches the same operations over the admin API", async () => {
  await sut.listen({ port: 0, host: '127.0.0.1' });
  const address = sut.server.address() as AddressInfo;
  const remote = new RemoteAdmin(`http://127.0.0.1:${address.port}`, TOKEN, process.pid);
  assert.equal((await remote.showWebhook('acme')).activeSecrets, 1);
  const rotated = await remote.rotateWebhookSecret('acme');
  assert.ok(rotated.secret !== null && rotated.secret.startsWith('whsec_'));
  assert.equal((await remote.finishWebhookRotation('acme')).rotating, false);
  receiver.secrets = [rotated.secret];
  assert.equal((await remote.testWebhook('acme')).outcome.kind, 'delivered');
  assert.deepEqual(await remote.listDeadLetters('acme'), []);
  assert.deepEqual(await remote.retryDeadLetters({ all: true, tenantId: 'acme' }), { retried: [] });
  await assert.rejects(remote.retryDeadLetters({ id: '12345' }), { code: 'JOBS_DEAD_LETTER_NOT_FOUND' });
  const moved = await remote.setWebhook('acme', receiver.url);
  assert.equal(moved.secret, null);
});

test('removing the webhook deletes its secrets; later notifications go dead naming the missing webhook', async () => {
  const removed = await sut.inject({ method: 'DELETE', url: '/v1/tenants/acme/webhook', headers: auth });
  assert.equal(removed.statusCode, 204);
  assert.equal(await runtime.store.secrets.get('acme', 'webhook_secret'), null);
  assert.equal(
    (await call('GET', '/v1/tenants/acme/webhook')).body.error?.code,
    'NOTIFY_WEBHOOK_NOT_CONFIGURED',
  );
  await enqueueNotification();
  assert.equal((await dispatcher.drainOnce()).dead, 1);
  const [letter] = (await call('GET', '/v1/outbox/dead')).body as unknown as { lastError: string }[];
  assert.match(letter?.lastError ?? '', /Tenant acme has no webhook configured/);
});
