// At-least-once delivery under faults, end to end from the outbox: 520 ticket notifications (40 cases) enqueued
// directly as the change detector does, two dispatchers draining them into a receiver that randomly answers 503,
// answers too late, or accepts and drops the connection, and deduplicates on Casebridge-Event-Id as
// docs/webhooks.md advises. Nothing may be lost, nothing acted on twice, and each case's events arrive in order.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import { TICKET_NOTIFICATION_KIND, type WebhookDirectory } from '../../domain/webhooks/ports.js';
import { OutboxDispatcher } from '../../jobs/outbox-dispatcher.js';
import { silentLogger } from '../../logging/logger.js';
import type { Store } from '../../store/open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../../test/helpers/store-test-kit.js';
import {
  startWebhookReceiver,
  type Fate,
  type WebhookReceiver,
} from '../../../test/helpers/webhook-receiver.js';
import { WebhookSender } from './send-webhook.js';
import { ticketNotificationHandler } from './ticket-notification-handler.js';
import { webhookUrlPolicy } from './url-policy.js';

const CASES = 40;
const EVENTS_PER_CASE = 13;
const SECRET = 'whsec_fault-test-0123456789abcdefghijklmnop';
const policy = { backoffBaseMs: 1_000, backoffMaxMs: 8_000, maxAttempts: 30, leaseMs: 60_000 };

/** mulberry32: a seeded generator, so a failing run can be replayed */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function notificationOf(caseIndex: number, seq: number): TicketNotification {
  const caseId = `500AA${String(caseIndex).padStart(13, '0')}`;
  const base = {
    tenantId: 'acme',
    caseId,
    caseNumber: String(1000 + caseIndex),
    employeeId: '003AA000004adaXQAQ',
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, seq)).toISOString(),
  };
  return seq % 3 === 2
    ? {
        ...base,
        eventId: `acme:${caseId}:state:WAITING_FOR_EMPLOYEE:${seq}`,
        kind: 'waiting-for-employee',
        state: 'WAITING_FOR_EMPLOYEE',
      }
    : {
        ...base,
        eventId: `acme:${caseId}:comment:00a${seq}:public`,
        kind: 'agent-comment',
        state: 'IN_PROGRESS',
        comment: { id: `00a${seq}`, body: `Reply ${seq} on case ${caseIndex}`, createdAt: base.occurredAt },
      };
}

for (const backend of storeBackends()) {
  describe(`webhook delivery under faults on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    let receiver: WebhookReceiver;
    before(async () => {
      store = await backend.open({ clock, outboxPolicy: policy });
      await store.tenants.insert(makeTenantRecord('acme'));
      receiver = await startWebhookReceiver({
        secrets: [SECRET],
        nowSeconds: () => clock.now().getTime() / 1000,
      });
    });
    after(async () => {
      await receiver.close();
      await store.close();
      await backend.dispose();
    });

    test('520 notifications: zero lost, zero acted on twice, in order per case; re-sends counted', async (t) => {
      const expected: TicketNotification[] = [];
      // interleaved across cases, as polls of many cases would enqueue them
      for (let seq = 0; seq < EVENTS_PER_CASE; seq++)
        for (let c = 0; c < CASES; c++) expected.push(notificationOf(c, seq));
      for (const n of expected) {
        const { created } = await store.outbox.enqueue({
          tenantId: n.tenantId,
          kind: TICKET_NOTIFICATION_KIND,
          idempotencyKey: n.eventId,
          eventId: n.eventId,
          orderingKey: n.caseId,
          payload: n,
        });
        assert.ok(created);
      }
      // enqueueing the same event again (an overlap window re-reading it) adds nothing
      const again = expected[7];
      assert.ok(again);
      const repeat = await store.outbox.enqueue({
        tenantId: 'acme',
        kind: TICKET_NOTIFICATION_KIND,
        idempotencyKey: again.eventId,
        eventId: again.eventId,
        orderingKey: again.caseId,
        payload: again,
      });
      assert.equal(repeat.created, false);

      const previousOf = new Map<string, string>();
      for (let c = 0; c < CASES; c++)
        for (let seq = 1; seq < EVENTS_PER_CASE; seq++)
          previousOf.set(notificationOf(c, seq).eventId, notificationOf(c, seq - 1).eventId);
      const random = seeded(13);
      const faults = { status503: 0, slow: 0, dropped: 0 };
      const outOfOrder: string[] = [];
      receiver.fate = (request): Fate => {
        const previous = request.eventId === undefined ? undefined : previousOf.get(request.eventId);
        // a case's next event is never even sent before the one before it was accepted
        if (previous !== undefined && !receiver.accepted.includes(previous))
          outOfOrder.push(request.eventId ?? '');
        const roll = random();
        if (roll < 0.1) {
          faults.status503 += 1;
          return { kind: 'answer', status: 503 };
        }
        if (roll < 0.13) {
          faults.slow += 1;
          return { kind: 'slow', ms: 600 };
        }
        if (roll < 0.2) {
          faults.dropped += 1;
          return { kind: 'drop' };
        }
        return { kind: 'answer', status: 200 };
      };

      const directory: WebhookDirectory = {
        active: () => Promise.resolve({ url: receiver.url, secrets: [SECRET] }),
      };
      const sender = new WebhookSender({
        policy: webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] }),
        nowSeconds: () => clock.now().getTime() / 1000,
        timeoutMs: 200,
      });
      const handler = ticketNotificationHandler({ webhooks: directory, sender });
      const workers = [1, 2].map(
        () =>
          new OutboxDispatcher({
            outbox: store.outbox,
            handlers: { [TICKET_NOTIFICATION_KIND]: handler },
            log: silentLogger(),
            clock,
            batchSize: 25,
          }),
      );
      let rounds = 0;
      for (;;) {
        const reports = await Promise.all(workers.map((w) => w.drainOnce()));
        assert.equal(
          reports.reduce((sum, r) => sum + r.dead, 0),
          0,
          'nothing goes dead',
        );
        if (reports.every((r) => r.claimed === 0)) {
          const open = (await store.outboxStats.counts()).reduce((sum, c) => sum + c.pending + c.retrying, 0);
          if (open === 0) break;
          // every retry is due after its backoff: let the clock pass it
          clock.advance(policy.backoffMaxMs);
        }
        rounds += 1;
        assert.ok(rounds < 2_000, 'the outbox drains');
      }

      const ids = expected.map((n) => n.eventId);
      const accepted = new Set(receiver.accepted);
      const lost = ids.filter((id) => !accepted.has(id));
      const actedTwice = receiver.accepted.length - accepted.size;
      const resends = receiver.requests.length - accepted.size;
      t.diagnostic(
        `${ids.length} events: lost ${lost.length}, duplicated ids ${actedTwice}, raw re-sends ${resends} ` +
          `(503: ${faults.status503}, late answers: ${faults.slow}, dropped connections: ${faults.dropped})`,
      );
      assert.deepEqual(lost, []);
      assert.equal(actedTwice, 0);
      assert.equal(receiver.accepted.length, ids.length);
      assert.ok(
        receiver.requests.every((r) => r.verified),
        'every attempt is signed',
      );
      // a re-send is the same event: same id, same bytes, so deduplicating on the id is safe
      const bodyOf = new Map<string, string>();
      for (const r of receiver.requests) {
        const first = bodyOf.get(r.eventId ?? '');
        if (first === undefined) bodyOf.set(r.eventId ?? '', r.body);
        else assert.equal(r.body, first);
      }
      assert.ok(resends >= faults.status503 + faults.slow + faults.dropped, 'every fault caused a re-send');
      assert.ok(
        faults.slow > 0 && faults.dropped > 0 && faults.status503 > 0,
        'every kind of fault happened',
      );
      assert.deepEqual(outOfOrder, []);
      for (let c = 0; c < CASES; c++) {
        const caseIds = ids.filter((id) => id.startsWith(`acme:${notificationOf(c, 0).caseId}:`));
        assert.deepEqual(
          receiver.accepted.filter((id) => caseIds.includes(id)),
          caseIds,
          `case ${c} in order`,
        );
      }
      assert.deepEqual(await store.outbox.listDead(), []);
    });
  });
}
