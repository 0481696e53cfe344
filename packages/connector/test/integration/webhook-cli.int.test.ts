// `casebridge webhook` and `casebridge outbox` as an operator runs them (child processes on a real data directory):
// the URL policy at save time, the secret printed once, a signed test event, rotation, and a dead letter listed and
// retried from the CLI, then delivered by the outbox.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { loadConfig } from '../../src/config/load-config.js';
import type { TicketNotification } from '../../src/domain/tickets/notification-rules.js';
import { TICKET_NOTIFICATION_KIND } from '../../src/domain/webhooks/ports.js';
import { OutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { ticketNotificationHandler } from '../../src/notify/webhook/ticket-notification-handler.js';
import type { StatusReport } from '../../src/services/status-service.js';
import type { WebhookTestResult, WebhookWithSecret } from '../../src/services/webhook-service.js';
import type { DeadLetter } from '../../src/domain/webhooks/ports.js';
import { cliEnv, parseJson, runCasebridge } from '../helpers/cli-process.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

let tmp: string;
let env: NodeJS.ProcessEnv;
let receiver: WebhookReceiver;

const notification: TicketNotification = {
  eventId: 'acme:500AA000001abcdEAA:state:RESOLVED:2026-12-01T10:00:00.000Z',
  kind: 'resolved',
  tenantId: 'acme',
  caseId: '500AA000001abcdEAA',
  caseNumber: '00001001',
  employeeId: '003AA000004adaXQAQ',
  state: 'RESOLVED',
  occurredAt: '2026-12-01T10:00:00.000Z',
};

/** Opens the data directory in this process (no CLI runs meanwhile), as a worker of the service would. */
async function withRuntime(
  fn: (runtime: Runtime, dispatcher: OutboxDispatcher) => Promise<void>,
): Promise<void> {
  const runtime = await openRuntime(loadConfig(env), { log: silentLogger() });
  try {
    const dispatcher = new OutboxDispatcher({
      outbox: runtime.store.outbox,
      handlers: {
        [TICKET_NOTIFICATION_KIND]: ticketNotificationHandler({
          webhooks: runtime.webhooks,
          sender: runtime.webhookSender,
        }),
      },
      log: silentLogger(),
      clock: runtime.clock,
    });
    await fn(runtime, dispatcher);
  } finally {
    await runtime.close();
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-webhook-cli-'));
  env = cliEnv(join(tmp, 'data'), {
    CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
    CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  });
  receiver = await startWebhookReceiver({ secrets: [], nowSeconds: () => Date.now() / 1000 });
  await withRuntime((runtime) => runtime.store.tenants.insert(makeTenantRecord('acme')));
});

after(async () => {
  await receiver.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('webhook set refuses a private address, then saves the receiver and prints its secret once', async () => {
  const refused = await runCasebridge(['webhook', 'set', 'acme', 'http://10.0.0.1/hook'], env, 60_000);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /NOTIFY_WEBHOOK_ADDRESS_BLOCKED/);
  assert.match(refused.stderr, /CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS/);

  const set = await runCasebridge(['webhook', 'set', 'acme', receiver.url, '--json'], env, 60_000);
  assert.equal(set.code, 0, set.stderr);
  const { secret } = parseJson<WebhookWithSecret>(set.stdout);
  assert.ok(secret !== null && secret.startsWith('whsec_'));
  receiver.secrets = [secret];

  const shown = await runCasebridge(['webhook', 'show', 'acme'], env, 60_000);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /Signing secrets: 1 active\./);
  assert.ok(!shown.stdout.includes(secret.slice(6)), 'show never prints the secret');

  const tested = await runCasebridge(['webhook', 'test', 'acme', '--json'], env, 60_000);
  assert.equal(tested.code, 0, tested.stderr);
  const result = parseJson<WebhookTestResult>(tested.stdout);
  assert.equal(result.outcome.kind, 'delivered');
  const request = receiver.requests.find((r) => r.eventId === result.eventId);
  assert.ok(request?.verified, 'the test event verifies with the printed secret');
});

void test('rotate-secret prints the new secret; both sign until finish-rotation', async () => {
  const rotated = await runCasebridge(['webhook', 'rotate-secret', 'acme'], env, 60_000);
  assert.equal(rotated.code, 0, rotated.stderr);
  const fresh = /New signing secret \(shown only now; give it to the receiver\): (whsec_\S+)/.exec(
    rotated.stdout,
  )?.[1];
  assert.ok(fresh);
  assert.match(rotated.stdout, /2 active \(rotation running/);
  receiver.secrets = [fresh];
  const tested = await runCasebridge(['webhook', 'test', 'acme'], env, 60_000);
  assert.equal(tested.code, 0, tested.stderr);
  assert.match(tested.stdout, /delivered \(HTTP 204\)/);
  const finished = await runCasebridge(['webhook', 'finish-rotation', 'acme'], env, 60_000);
  assert.equal(finished.code, 0, finished.stderr);
  assert.match(finished.stdout, /Signing secrets: 1 active\./);
});

void test('a dead letter is listed and retried from the CLI, then delivered', async () => {
  receiver.fate = () => ({ kind: 'answer', status: 422 });
  await withRuntime(async (runtime, dispatcher) => {
    await runtime.store.outbox.enqueue({
      tenantId: 'acme',
      kind: TICKET_NOTIFICATION_KIND,
      idempotencyKey: notification.eventId,
      eventId: notification.eventId,
      orderingKey: notification.caseId,
      payload: notification,
    });
    assert.equal((await dispatcher.drainOnce()).dead, 1);
  });

  const listed = await runCasebridge(['outbox', 'dead', 'acme', '--json'], env, 60_000);
  assert.equal(listed.code, 0, listed.stderr);
  const [letter, ...rest] = parseJson<DeadLetter[]>(listed.stdout);
  assert.ok(letter);
  assert.equal(rest.length, 0);
  assert.equal(letter.eventId, notification.eventId);
  assert.match(letter.lastError ?? '', /HTTP 422/);
  const human = await runCasebridge(['outbox', 'dead'], env, 60_000);
  assert.match(human.stdout, new RegExp(`^${letter.id} +acme +ticket-notification`, 'm'));

  const status = await runCasebridge(['status', '--json'], env, 60_000);
  assert.deepEqual(parseJson<StatusReport>(status.stdout).outbox?.[0]?.dead, 1);

  const usage = await runCasebridge(['outbox', 'retry'], env, 60_000);
  assert.equal(usage.code, 2);
  const retried = await runCasebridge(['outbox', 'retry', letter.id], env, 60_000);
  assert.equal(retried.code, 0, retried.stderr);
  assert.match(retried.stdout, /1 dead letter put back to be delivered\./);

  receiver.fate = () => ({ kind: 'answer', status: 204 });
  await withRuntime(async (runtime, dispatcher) => {
    assert.equal((await dispatcher.drainOnce()).done, 1);
    assert.deepEqual(await runtime.store.outbox.listDead(), []);
  });
  assert.ok(receiver.accepted.includes(notification.eventId), 'delivered after the retry');
  const empty = await runCasebridge(['outbox', 'dead'], env, 60_000);
  assert.match(empty.stdout, /No dead letters\./);
});
