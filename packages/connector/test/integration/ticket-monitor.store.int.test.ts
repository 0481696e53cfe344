// Ticket monitoring against the emulator over HTTP (agents act through the control plane), on PGlite and (when
// configured) PostgreSQL: what reaches the outbox as `ticket-notification` messages, once, in order per case, and
// what never does (internal notes, casebridge's own comments); ties larger than a page; a comment written during a
// poll; a crash between fetching and enqueueing; 10% injected faults over more than 500 events.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { UnitOfWork } from '../../src/domain/ports.js';
import { defaultTenantSettings, type TenantSettings } from '../../src/domain/tenant.js';
import type { CaseChangeSource } from '../../src/domain/tickets/case-change-source.js';
import type { TicketNotification } from '../../src/domain/tickets/notification-rules.js';
import { silentLogger } from '../../src/logging/logger.js';
import { PollingCaseChangeSource } from '../../src/salesforce/case-change-poller.js';
import { IdempotentWrites } from '../../src/services/idempotent-writes.js';
import {
  TICKET_NOTIFICATION_KIND,
  TicketMonitor,
  type PollReport,
} from '../../src/services/tickets/ticket-monitor.js';
import type { Store } from '../../src/store/open-store.js';
import { realClock, salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';
import { makeTenantRecord, storeBackends } from '../helpers/store-test-kit.js';

const TENANT = 'demo';
let em: StartedEmulator;

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${em.controlUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}
const act = async (name: string, body: Record<string, unknown>): Promise<string> =>
  ((await control('POST', `/orgs/demo/actions/${name}`, body)) as { id: string }).id;

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-monitor-')) });
});
after(async () => {
  await em.close();
});

for (const backend of storeBackends()) {
  describe(`ticket monitoring against the emulator on ${backend.name}`, () => {
    let store: Store;
    let stack: SalesforceStack;
    let settings: TenantSettings;
    let contactId: string;

    const monitor = (unitOfWork?: UnitOfWork, clock = realClock): TicketMonitor =>
      new TicketMonitor({
        unitOfWork: unitOfWork ?? store.unitOfWork,
        cursors: store.cursors,
        snapshots: store.caseSnapshots,
        stats: store.monitorStats,
        processed: store.processed,
        ownWrites: (tenantId, ids) => store.writeIntents.recordIdsAmong(tenantId, ids),
        clock,
        log: silentLogger(),
      });
    const source = (): CaseChangeSource =>
      new PollingCaseChangeSource(stack.client, { ...stack.tenant, settings });
    const poll = (
      options: { pageSize?: number; sut?: TicketMonitor; src?: CaseChangeSource } = {},
    ): Promise<PollReport> =>
      (options.sut ?? monitor()).poll({ id: TENANT, settings }, options.src ?? source(), {
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
        callCount: () => stack.client.usage(TENANT).attempts,
      });

    interface Row {
      event_id: string;
      idempotency_key: string;
      ordering_key: string | null;
      payload: TicketNotification | string;
    }
    async function notifications(
      caseId?: string,
    ): Promise<(TicketNotification & { outboxEventId: string; orderingKey: string | null })[]> {
      const { rows } = await store.db.query<Row>(
        `SELECT event_id, idempotency_key, ordering_key, payload FROM outbox WHERE tenant_id = $1 AND kind = $2 ORDER BY id`,
        [TENANT, TICKET_NOTIFICATION_KIND],
      );
      return rows
        .map((r) => ({
          ...(typeof r.payload === 'string' ? (JSON.parse(r.payload) as TicketNotification) : r.payload),
          outboxEventId: r.event_id,
          orderingKey: r.ordering_key,
        }))
        .filter((n) => caseId === undefined || n.caseId === caseId);
    }
    const newCase = (fields: Record<string, unknown> = {}): Promise<string> =>
      act('create-case', {
        fields: { Subject: 'VPN drops', Status: 'New', Origin: 'Web', ContactId: contactId, ...fields },
      });

    before(async () => {
      store = await backend.open({ clock: realClock });
      stack = salesforceStack(em, { tenantId: TENANT });
      settings = defaultTenantSettings();
      settings.apiVersion = stack.tenant.settings.apiVersion;
      settings.monitor.lookBackMinutes = 5;
      await store.tenants.insert(makeTenantRecord(TENANT, { settings }));
      contactId = await act('create-record', {
        sobject: 'Contact',
        fields: { LastName: 'Lovelace', Email: `ada.${backend.name}@example.com` },
      });
      await poll(); // the look-back: every case seen for the first time is a baseline, not news
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('an agent public comment reaches the outbox once, keyed as the contract says; a quiet poll is one call', async () => {
      const caseId = await newCase();
      await poll();
      assert.deepEqual(await notifications(caseId), [], 'a new case is a baseline, not a notification');
      const commentId = await act('comment-case', {
        caseId,
        body: 'Please restart the client.',
        isPublic: true,
      });
      await poll();
      const [sent, ...rest] = await notifications(caseId);
      assert.equal(rest.length, 0);
      assert.ok(sent);
      assert.equal(sent.kind, 'agent-comment');
      assert.equal(sent.employeeId, contactId);
      assert.equal(sent.comment?.id, commentId);
      assert.equal(sent.comment?.body, 'Please restart the client.');
      assert.equal(sent.outboxEventId, sent.eventId, 'the outbox event id is the notification event id');
      assert.equal(sent.orderingKey, caseId, 'ordered per case');

      const again = await poll();
      assert.equal(again.notified, 0, 'the overlap re-read relays nothing twice');
      assert.equal(again.calls, 1, 'nothing changed: both streams in one composite request');
    });

    test('an internal note never reaches the outbox; switched to public it is relayed once; an edit is not relayed again', async () => {
      const caseId = await newCase();
      await poll();
      const secret = `internal-only-${backend.name}-7f3a`;
      const noteId = await act('comment-case', { caseId, body: `Billing says: ${secret}`, isPublic: false });
      const report = await poll();
      assert.ok((report.skipped['internal-comment'] ?? 0) >= 1);
      const { rows } = await store.db.query<{ n: unknown }>(
        `SELECT count(*) AS n FROM outbox WHERE payload::text LIKE $1`,
        [`%${secret}%`],
      );
      assert.equal(Number(rows[0]?.n), 0, 'the internal text is in no outbox payload');

      await act('update-record', { sobject: 'CaseComment', id: noteId, fields: { IsPublished: true } });
      await poll();
      await act('update-record', {
        sobject: 'CaseComment',
        id: noteId,
        fields: { CommentBody: 'Edited after publishing' },
      });
      await poll();
      const sent = await notifications(caseId);
      assert.deepEqual(
        sent.map((n) => [n.kind, n.comment?.id]),
        [['agent-comment', noteId]],
      );
    });

    test('status changes: waiting for the employee, then closed; the bot’s own comment notifies nobody', async () => {
      const caseId = await newCase();
      await poll();
      await act('set-case-status', { caseId, status: 'Waiting on Employee' });
      await poll();
      const writes = new IdempotentWrites({ intents: store.writeIntents, clock: realClock });
      await writes.addComment(TENANT, stack.gateway, {
        caseId,
        body: 'Employee says: done',
        isPublic: true,
        idempotencyKey: `reply-${backend.name}`,
      });
      const report = await poll();
      assert.ok((report.skipped['own-write'] ?? 0) >= 1, 'the own comment is seen and dropped');
      await act('set-case-status', { caseId, status: 'Closed' });
      await poll();
      assert.deepEqual(
        (await notifications(caseId)).map((n) => [n.kind, n.state]),
        [
          ['waiting-for-employee', 'WAITING_FOR_EMPLOYEE'],
          ['closed', 'CLOSED'],
        ],
      );
    });

    test('the employee by supplied email: one Contact resolves, several or none are skipped and counted', async () => {
      const one = `grace.${backend.name}@example.com`;
      const shared = `shared.${backend.name}@example.com`;
      const graceId = await act('create-record', {
        sobject: 'Contact',
        fields: { LastName: 'Hopper', Email: one },
      });
      await act('create-record', { sobject: 'Contact', fields: { LastName: 'A', Email: shared } });
      await act('create-record', { sobject: 'Contact', fields: { LastName: 'B', Email: shared } });
      const byEmail = await newCase({ ContactId: null, SuppliedEmail: one });
      const ambiguous = await newCase({ ContactId: null, SuppliedEmail: shared });
      const unknown = await newCase({ ContactId: null, SuppliedEmail: `nobody.${backend.name}@example.com` });
      const first = await poll();
      assert.ok((first.skipped['several-contacts-with-email'] ?? 0) >= 1);
      assert.ok((first.skipped['no-contact-with-email'] ?? 0) >= 1);
      for (const caseId of [byEmail, ambiguous, unknown])
        await act('comment-case', { caseId, body: 'Any news?', isPublic: true });
      await poll();
      assert.deepEqual(
        (await notifications(byEmail)).map((n) => n.employeeId),
        [graceId],
      );
      assert.deepEqual(await notifications(ambiguous), [], 'never guessed');
      assert.deepEqual(await notifications(unknown), []);
      const stats = await store.monitorStats.get(TENANT);
      assert.ok((stats?.skipped['several-contacts-with-email'] ?? 0) >= 2, 'counted in the status');
      assert.ok((stats?.watched ?? 0) > 0);
    });

    test('deleted and merged cases end: one case-ended each (merged names the master), no snapshot left', async () => {
      const doomed = await newCase();
      const master = await newCase();
      const loser = await newCase();
      const closedBefore = await newCase();
      await poll();
      await act('set-case-status', { caseId: closedBefore, status: 'Closed' });
      await poll();
      await act('delete-case', { caseId: doomed });
      await act('merge-cases', { masterId: master, loserIds: [loser] });
      await act('delete-case', { caseId: closedBefore });
      const report = await poll();
      await poll();
      assert.deepEqual(
        (await notifications(doomed)).map((n) => [n.kind, n.ended]),
        [['case-ended', { reason: 'deleted', mergedInto: null }]],
      );
      assert.deepEqual(
        (await notifications(loser)).map((n) => [n.kind, n.ended]),
        [['case-ended', { reason: 'merged', mergedInto: master }]],
      );
      assert.deepEqual(
        (await notifications(closedBefore)).map((n) => n.kind),
        ['closed'],
        'a case the employee heard closed ends silently',
      );
      assert.ok((report.skipped['case-ended'] ?? 0) >= 1, 'and is counted');
      assert.deepEqual(await notifications(master), [], 'the master goes on, no news for it');
      const { rows } = await store.db.query<{ case_id: string }>(
        `SELECT case_id FROM case_snapshots WHERE tenant_id = $1 AND case_id = ANY($2::text[])`,
        [TENANT, [doomed, loser, closedBefore]],
      );
      assert.deepEqual(rows, []);
    });

    test('more comments sharing one SystemModstamp than fit a page: each relayed once', async () => {
      const caseId = await newCase();
      await poll();
      const { now } = (await control('GET', '/clock')) as { now?: string };
      const tieAt = new Date(Math.ceil(Date.parse(now ?? new Date().toISOString()) / 1000) * 1000 + 1000);
      await control('POST', '/clock', { set: tieAt.toISOString() });
      const ids = new Set<string>();
      for (let i = 0; i < 250; i += 1)
        ids.add(await act('comment-case', { caseId, body: `tie ${i}`, isPublic: true }));
      await control('POST', '/clock', { release: true });
      const report = await poll({ pageSize: 200 });
      assert.ok(report.rounds >= 2, `read in pages of 200 (${report.rounds} rounds)`);
      const sent = await notifications(caseId);
      assert.equal(sent.length, 250, 'none lost');
      assert.deepEqual(new Set(sent.map((n) => n.comment?.id)), ids, 'none repeated');
    });

    test('a comments page that fills up does not let a later status change overtake the comment before it', async () => {
      const filler = await newCase({ Subject: 'busy case' });
      const caseId = await newCase();
      await poll();
      for (let i = 0; i < 210; i += 1)
        await act('comment-case', { caseId: filler, body: `busy ${i}`, isPublic: true });
      const question = await act('comment-case', {
        caseId,
        body: 'Which VPN client version?',
        isPublic: true,
      });
      await act('set-case-status', { caseId, status: 'Waiting on Employee' });
      // round 1: the comments page fills before the question; the cases page already holds the status change
      const report = await poll({ pageSize: 200 });
      assert.ok(report.rounds >= 2, `read in pages of 200 (${report.rounds} rounds)`);
      assert.deepEqual(
        (await notifications(caseId)).map((n) => [n.kind, n.comment?.id ?? null]),
        [
          ['agent-comment', question],
          ['waiting-for-employee', null],
        ],
        'the question first, then the request to answer it',
      );
      assert.equal((await notifications(filler)).length, 210, 'the filler relayed once each');
    });

    test('a comment written during a poll is relayed by the next one, once', async () => {
      const caseId = await newCase();
      await poll();
      const inner = source();
      let written = '';
      const during: CaseChangeSource = {
        ...inner,
        casesByIds: (ids) => inner.casesByIds(ids),
        contactsByEmails: (emails) => inner.contactsByEmails(emails),
        serviceUserId: () => inner.serviceUserId(),
        async *changesSince(start) {
          for await (const round of inner.changesSince(start)) {
            if (written === '')
              written = await act('comment-case', { caseId, body: 'written mid-poll', isPublic: true });
            yield round;
          }
        },
      };
      await poll({ src: during });
      await poll();
      await poll();
      assert.deepEqual(
        (await notifications(caseId)).map((n) => n.comment?.id),
        [written],
      );
    });

    test('a comment committed late, stamped before the cursor but within the overlap of the last read, is relayed once', async () => {
      // one worker, which remembers its last read; its clock a minute ahead stands for a minute of quiet polls
      const sut = monitor(undefined, { now: () => new Date(Date.now() + 60_000) });
      const caseId = await newCase();
      await poll({ sut });
      const first = await act('comment-case', { caseId, body: 'seen first', isPublic: true });
      const createdBy = em.org.data.peek(first)?.record['CreatedById'];
      const agentId = typeof createdBy === 'string' ? createdBy : '';
      await poll({ sut });
      await poll({ sut }); // a quiet poll: the next one re-reads only an overlap before this read
      // a transaction that began a minute ago commits only now: its stamp lies behind the cursor
      em.emulator.clock.during(new Date(Date.now() - 60_000), () =>
        em.org.data.insert(
          'CaseComment',
          { ParentId: caseId, CommentBody: 'committed late', IsPublished: true },
          agentId,
        ),
      );
      await poll({ sut });
      await poll({ sut });
      assert.deepEqual(
        (await notifications(caseId)).map((n) => n.comment?.body),
        ['seen first', 'committed late'],
      );
    });

    test('a crash between fetching and enqueueing loses nothing: the next poll redoes the round', async () => {
      const caseId = await newCase();
      await poll();
      await act('comment-case', { caseId, body: 'first', isPublic: true });
      await act('set-case-status', { caseId, status: 'Waiting on Employee' });
      const crashing: UnitOfWork = {
        run: (fn) =>
          store.unitOfWork.run(async (tx) => {
            await fn(tx);
            throw new Error('worker killed before commit');
          }),
      };
      await assert.rejects(poll({ sut: monitor(crashing) }), /worker killed/);
      assert.deepEqual(await notifications(caseId), [], 'nothing committed');
      await poll();
      assert.deepEqual(
        (await notifications(caseId)).map((n) => n.kind),
        ['agent-comment', 'waiting-for-employee'],
      );
    });

    test('10% injected 503s, expired sessions and lock errors over 520 events: zero lost, zero duplicated', async (t) => {
      const cases: string[] = [];
      for (let i = 0; i < 20; i += 1) cases.push(await newCase({ Subject: `load ${i}` }));
      await poll();
      const commentIds = new Set<string>();
      for (let i = 0; i < 520; i += 1)
        commentIds.add(
          await act('comment-case', {
            caseId: cases[i % cases.length],
            body: `load comment ${i}`,
            isPublic: true,
          }),
        );
      const faults = [
        { kind: 'server-unavailable', rate: 0.04 },
        { kind: 'invalid-session', rate: 0.03 },
        { kind: 'unable-to-lock-row', rate: 0.03 },
      ];
      for (const fault of faults)
        await control('POST', '/faults', { ...fault, path: '*/services/data/*', ttlMs: 600_000 });
      let failedPolls = 0;
      try {
        for (let i = 0; i < 40; i += 1) {
          try {
            const report = await poll({ pageSize: 200 });
            if (report.rounds === 1 && report.notified === 0 && i > 3) break;
          } catch {
            failedPolls += 1; // the job retries a failed poll; so does this loop
          }
        }
      } finally {
        await control('DELETE', '/faults');
      }
      await poll({ pageSize: 200 });
      const load = (await notifications()).filter((n) => cases.includes(n.caseId));
      const relayed = load.map((n) => n.comment?.id ?? '');
      const lost = [...commentIds].filter((id) => !relayed.includes(id)).length;
      const duplicated = relayed.length - new Set(relayed).size;
      const eventIds = load.map((n) => n.outboxEventId);
      const usage = stack.client.usage(TENANT);
      t.diagnostic(
        `events ${commentIds.size}, lost ${lost}, duplicated ${duplicated}, retried calls ${usage.retries}, re-logins ${usage.reauths}, failed polls ${failedPolls}`,
      );
      assert.equal(lost, 0, 'zero lost');
      assert.equal(duplicated, 0, 'zero duplicated comments');
      assert.equal(new Set(eventIds).size, eventIds.length, 'zero duplicated event ids');
      assert.ok(stack.client.usage(TENANT).retries > 0 || failedPolls > 0, 'faults were actually hit');
    });
  });
}
