// The composition root runs the outbox: with background work started, a ticket notification enqueued as the change
// detector does reaches the tenant's webhook, signed with the secret `webhook set` printed; stopping waits for it.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

import { loadConfig } from './config/load-config.js';
import type { TicketNotification } from './domain/tickets/notification-rules.js';
import { TICKET_NOTIFICATION_KIND } from './domain/webhooks/ports.js';
import { silentLogger } from './logging/logger.js';
import { openRuntime, startBackgroundWork } from './main.js';
import { makeTenantRecord } from '../test/helpers/store-test-kit.js';
import { startWebhookReceiver } from '../test/helpers/webhook-receiver.js';

test('startBackgroundWork delivers enqueued ticket notifications to the webhook', async () => {
  const config = loadConfig({
    CASEBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'casebridge-main-outbox-')),
    CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
    CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
    CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  });
  const runtime = await openRuntime(config, { log: silentLogger(), inMemoryStore: true });
  const receiver = await startWebhookReceiver({ secrets: [], nowSeconds: () => Date.now() / 1000 });
  try {
    await runtime.store.tenants.insert(makeTenantRecord('acme'));
    const { secret } = await runtime.admin.setWebhook('acme', receiver.url);
    assert.ok(secret !== null);
    receiver.secrets = [secret];
    const notification: TicketNotification = {
      eventId: 'acme:500AA000001abcdEAA:state:CLOSED:2026-12-01T10:00:00.000Z',
      kind: 'closed',
      tenantId: 'acme',
      caseId: '500AA000001abcdEAA',
      caseNumber: '00001001',
      employeeId: '003AA000004adaXQAQ',
      state: 'CLOSED',
      occurredAt: '2026-12-01T10:00:00.000Z',
    };
    await runtime.store.outbox.enqueue({
      tenantId: 'acme',
      kind: TICKET_NOTIFICATION_KIND,
      idempotencyKey: notification.eventId,
      eventId: notification.eventId,
      orderingKey: notification.caseId,
      payload: notification,
    });
    const work = await startBackgroundWork(runtime);
    try {
      // bounded wait for the background dispatcher (it polls every second when idle)
      for (let i = 0; i < 300 && receiver.accepted.length === 0; i++) await sleep(100);
    } finally {
      await work.stop();
    }
    assert.deepEqual(receiver.accepted, [notification.eventId]);
    assert.ok(receiver.requests[0]?.verified);
    const status = await runtime.admin.status();
    assert.deepEqual(status.outbox, []);
  } finally {
    await receiver.close();
    await runtime.close();
  }
});
