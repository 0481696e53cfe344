// The ticket-notification handler against a receiver on 127.0.0.1 (allowed explicitly): what the receiver gets,
// how each answer becomes retry or dead letter, rotation with two secrets, and the URL policy at send time.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import type { ActiveWebhook, WebhookDirectory } from '../../domain/webhooks/ports.js';
import { isAppError } from '../../errors/app-error.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/helpers/webhook-receiver.js';
import { webhookEventBody } from './payload.js';
import { WebhookSender } from './send-webhook.js';
import { ticketNotificationHandler, type TicketNotificationDelivery } from './ticket-notification-handler.js';
import { webhookUrlPolicy, type HostResolver } from './url-policy.js';

const NOW = 1_764_600_000;
const OLD = 'whsec_old-secret-0123456789abcdefghijklmnop';
const NEW = 'whsec_new-secret-0123456789abcdefghijklmnop';

const notification: TicketNotification = {
  eventId: 'acme:500AA000001abcdEAA:comment:00aAA000000xyz1QAA:public',
  kind: 'agent-comment',
  tenantId: 'acme',
  caseId: '500AA000001abcdEAA',
  caseNumber: '00001001',
  employeeId: '003AA000004adaXQAQ',
  state: 'WAITING_FOR_EMPLOYEE',
  occurredAt: '2026-12-01T10:05:00.000Z',
  comment: {
    id: '00aAA000000xyz1QAA',
    body: 'Please restart the VPN client.',
    createdAt: '2026-12-01T10:05:00.000Z',
  },
};

const delivery = (payload: unknown = notification, tenantId = 'acme'): TicketNotificationDelivery => ({
  eventId: 'outbox-event-id',
  tenantId,
  kind: 'ticket-notification',
  payload,
});

let receiver: WebhookReceiver;
let redirectTarget: WebhookReceiver;
const webhooks = new Map<string, ActiveWebhook>();
const directory: WebhookDirectory = { active: (tenantId) => Promise.resolve(webhooks.get(tenantId) ?? null) };
/** what receiver.test resolves to now: the test changes it to model DNS changing after the URL was saved */
let resolvesTo = '127.0.0.1';
const resolve: HostResolver = (hostname) =>
  hostname === 'receiver.test'
    ? Promise.resolve([{ address: resolvesTo, family: resolvesTo.includes(':') ? 6 : 4 }])
    : Promise.reject(Object.assign(new Error('no such host'), { code: 'ENOTFOUND' }));
const sender = new WebhookSender({
  policy: webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] }),
  resolve,
  nowSeconds: () => NOW,
  timeoutMs: 2_000,
});
const sut = ticketNotificationHandler({ webhooks: directory, sender });

before(async () => {
  receiver = await startWebhookReceiver({ secrets: [NEW], nowSeconds: () => NOW + 3 });
  redirectTarget = await startWebhookReceiver({ secrets: [NEW], nowSeconds: () => NOW });
});
after(async () => {
  await receiver.close();
  await redirectTarget.close();
});

function reset(fate: WebhookReceiver['fate'] = () => ({ kind: 'answer', status: 204 })): void {
  receiver.requests.length = 0;
  receiver.accepted.length = 0;
  receiver.fate = fate;
  receiver.secrets = [NEW];
  resolvesTo = '127.0.0.1';
  webhooks.set('acme', { url: receiver.url, secrets: [NEW] });
}

async function failure(run: Promise<void>): Promise<{ code: string; message: string }> {
  try {
    await run;
  } catch (err) {
    assert.ok(isAppError(err), String(err));
    return { code: err.code, message: err.message };
  }
  assert.fail('the handler did not fail');
}

test("the receiver gets the notification's event, signed, under the notification's own event id", async () => {
  reset();
  await sut(delivery());
  const [request] = receiver.requests;
  assert.ok(request);
  assert.equal(request.verified, true);
  assert.equal(request.eventId, notification.eventId);
  assert.equal(request.body, webhookEventBody(notification));
  assert.equal((JSON.parse(request.body) as { id: string }).id, notification.eventId);
  assert.deepEqual(receiver.accepted, [notification.eventId]);
});

test('a reminder (nudge) and a resolution offer are delivered like any notification, with their own fields', async () => {
  reset();
  const { tenantId, caseId, caseNumber, employeeId, state, occurredAt } = notification;
  const base = { tenantId, caseId, caseNumber, employeeId, state, occurredAt };
  const nudge: TicketNotification = {
    ...base,
    eventId: 'acme:500AA000001abcdEAA:nudge:2026-12-01T10:05:00.000Z:1',
    kind: 'nudge',
    reminder: { number: 1, of: 3, waitingSince: '2026-12-01T10:05:00.000Z' },
  };
  const offer: TicketNotification = {
    ...base,
    eventId: 'resolution-offer:acme:500AA000001abcdEAA',
    kind: 'resolution-offer',
    state: 'NEW',
    offer: {
      articles: [
        {
          articleId: 'kA0AA0000001',
          articleNumber: '000001',
          title: 'Reset the VPN client',
          section: null,
          snippet: 'Quit the client, then…',
          link: null,
        },
      ],
    },
  };
  await sut(delivery(nudge));
  await sut(delivery(offer));
  const bodies = receiver.requests.map((r) => JSON.parse(r.body) as { type: string; reminder?: unknown });
  assert.deepEqual(
    bodies.map((b) => b.type),
    ['case.reminder', 'case.resolution_offered'],
  );
  assert.deepEqual(bodies[0]?.reminder, nudge.reminder);
  assert.deepEqual(receiver.accepted, [nudge.eventId, offer.eventId]);
});

test('a field the producer added beyond the notification never reaches the receiver', async () => {
  reset();
  await sut(delivery({ ...notification, internalNote: 'customer is difficult', isPublished: false }));
  const body = receiver.requests[0]?.body ?? '';
  assert.ok(!body.includes('difficult'));
  assert.ok(!body.includes('isPublished'));
});

test('503, a timeout-like drop and 429 are retried; other 4xx and redirects go dead at once', async () => {
  const cases = [
    { fate: { kind: 'answer', status: 503 }, code: 'NOTIFY_WEBHOOK_DELIVERY_FAILED' },
    {
      fate: { kind: 'answer', status: 429, headers: { 'retry-after': '5' } },
      code: 'NOTIFY_WEBHOOK_DELIVERY_FAILED',
    },
    { fate: { kind: 'drop' }, code: 'NOTIFY_WEBHOOK_DELIVERY_FAILED' },
    { fate: { kind: 'answer', status: 410 }, code: 'JOBS_DELIVERY_REJECTED' },
    { fate: { kind: 'answer', status: 400 }, code: 'JOBS_DELIVERY_REJECTED' },
  ] as const;
  for (const { fate, code } of cases) {
    reset(() => fate);
    assert.equal((await failure(sut(delivery()))).code, code, JSON.stringify(fate));
  }
  reset(() => ({ kind: 'answer', status: 302, headers: { location: redirectTarget.url } }));
  const redirected = await failure(sut(delivery()));
  assert.equal(redirected.code, 'JOBS_DELIVERY_REJECTED');
  assert.match(redirected.message, /redirect refused/);
  assert.equal(redirectTarget.requests.length, 0, 'the redirect is not followed');
});

test('no webhook, a malformed payload or another tenant’s notification: dead at once, nothing sent', async () => {
  reset();
  webhooks.delete('acme');
  assert.match((await failure(sut(delivery()))).message, /no webhook configured/);
  reset();
  const malformed = await failure(sut(delivery({ ...notification, kind: 'gossip' })));
  assert.equal(malformed.code, 'JOBS_DELIVERY_REJECTED');
  assert.match(malformed.message, /kind/);
  webhooks.set('globex', { url: receiver.url, secrets: [NEW] });
  const crossTenant = await failure(sut(delivery(notification, 'globex')));
  assert.match(crossTenant.message, /tenant differs/);
  assert.equal(receiver.requests.length, 0);
});

test('during a rotation both secrets sign: a receiver holding either one verifies', async () => {
  for (const held of [[OLD], [NEW], [OLD, NEW]]) {
    reset();
    receiver.secrets = held;
    webhooks.set('acme', { url: receiver.url, secrets: [NEW, OLD] });
    await sut(delivery());
    assert.equal(receiver.requests[0]?.verified, true, `receiver holding ${held.length} secret(s)`);
  }
  reset();
  receiver.secrets = [OLD];
  // after finish-rotation only the new secret signs: a receiver still on the old one refuses (401, dead)
  assert.equal((await failure(sut(delivery()))).code, 'JOBS_DELIVERY_REJECTED');
  assert.equal(receiver.requests[0]?.verified, false);
});

test('a saved host that resolves to a private address at send time is refused without connecting', async () => {
  for (const address of [
    '10.0.0.7',
    '192.168.1.20',
    '169.254.169.254',
    '::ffff:10.0.0.7',
    '::1',
    'fd00::1',
  ]) {
    reset();
    webhooks.set('acme', { url: `http://receiver.test:${receiver.port}/casebridge/events`, secrets: [NEW] });
    resolvesTo = address;
    const refused = await failure(sut(delivery()));
    assert.equal(refused.code, 'JOBS_DELIVERY_REJECTED', address);
    assert.match(refused.message, /not a public address/, address);
  }
  assert.equal(receiver.requests.length, 0);
  // literal IPv4-mapped forms of a private address are refused too, whatever their spelling
  for (const host of ['[::ffff:10.0.0.7]', '[::ffff:a00:7]', '[::ffff:169.254.169.254]']) {
    reset();
    webhooks.set('acme', { url: `http://${host}:${receiver.port}/casebridge/events`, secrets: [NEW] });
    assert.match((await failure(sut(delivery()))).message, /not a public address/, host);
  }
  // and the same saved name still delivers while it resolves to the allowed receiver
  reset();
  webhooks.set('acme', { url: `http://receiver.test:${receiver.port}/casebridge/events`, secrets: [NEW] });
  await sut(delivery());
  assert.equal(receiver.requests.length, 1);
  assert.equal(receiver.requests[0]?.verified, true);
});
