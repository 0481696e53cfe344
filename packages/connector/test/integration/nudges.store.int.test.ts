// Nudges against the emulator over HTTP, on PGlite and (when configured) PostgreSQL: an agent sets a case to
// "Waiting on Employee", the monitor polls it into its snapshot, and the nudge run (its own clock moved by the
// test) reminds the employee as a `nudge` ticket notification in the outbox: never in their quiet hours (in
// Asia/Kolkata, UTC+05:30), at most `maxReminders`, never within the gap, never after they replied or once the
// case left waiting, once only across a crash between enqueueing and recording; and with no Salesforce call.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { defaultTenantSettings, type TenantSettings } from '../../src/domain/tenant.js';
import type { NudgeRepository } from '../../src/domain/tickets/nudge-ports.js';
import type { TicketNotification } from '../../src/domain/tickets/notification-rules.js';
import { silentLogger } from '../../src/logging/logger.js';
import { PollingCaseChangeSource } from '../../src/salesforce/case-change-poller.js';
import { NudgeRun } from '../../src/services/tickets/nudge-run.js';
import { TICKET_NOTIFICATION_KIND, TicketMonitor } from '../../src/services/tickets/ticket-monitor.js';
import type { Store } from '../../src/store/open-store.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { realClock, salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';
import { makeTenantRecord, storeBackends } from '../helpers/store-test-kit.js';

const TENANT = 'demo';
const HOUR = 3_600_000;
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

/** The next instant after `from` at which the wall clock in Asia/Kolkata reads hh:mm (IST has no DST: UTC+05:30). */
function nextKolkata(from: string, hh: number, mm: number): Date {
  const offset = (5 * 60 + 30) * 60_000;
  const local = new Date(Date.parse(from) + offset);
  const at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hh, mm) - offset;
  return new Date(at > Date.parse(from) ? at : at + 24 * HOUR);
}

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-nudges-')) });
});
after(async () => {
  await em.close();
});

for (const backend of storeBackends()) {
  describe(`nudges against the emulator on ${backend.name}`, () => {
    let store: Store;
    let stack: SalesforceStack;
    let settings: TenantSettings;
    let contactId: string;
    const clock = new FixedClock();

    const poll = async (): Promise<void> => {
      const monitor = new TicketMonitor({
        unitOfWork: store.unitOfWork,
        cursors: store.cursors,
        snapshots: store.caseSnapshots,
        stats: store.monitorStats,
        ownWrites: (tenantId, ids) => store.writeIntents.recordIdsAmong(tenantId, ids),
        clock: realClock,
        log: silentLogger(),
      });
      await monitor.poll(
        { id: TENANT, settings },
        new PollingCaseChangeSource(stack.client, { ...stack.tenant, settings }),
      );
    };
    const sut = (nudges: NudgeRepository = store.nudges): NudgeRun =>
      new NudgeRun({ nudges, zones: store.employeeZones, outbox: store.outbox, clock, log: silentLogger() });
    const runAt = async (at: Date, run: NudgeRun = sut()) => {
      clock.advance(at.getTime() - clock.now().getTime());
      return run.run({ id: TENANT, settings });
    };
    async function reminders(caseId: string): Promise<TicketNotification[]> {
      const { rows } = await store.db.query<{ payload: TicketNotification | string }>(
        `SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = $2 AND ordering_key = $3 ORDER BY id`,
        [TENANT, TICKET_NOTIFICATION_KIND, caseId],
      );
      return rows
        .map((r) =>
          typeof r.payload === 'string' ? (JSON.parse(r.payload) as TicketNotification) : r.payload,
        )
        .filter((n) => n.kind === 'nudge');
    }
    const waitingCase = async (): Promise<{ caseId: string; since: string }> => {
      const caseId = await act('create-case', {
        fields: { Subject: 'VPN drops', Status: 'New', Origin: 'Web', ContactId: contactId },
      });
      await poll();
      await act('set-case-status', { caseId, status: 'Waiting on Employee' });
      await poll();
      const snap = (await store.caseSnapshots.getMany(TENANT, [caseId])).get(caseId);
      assert.equal(snap?.snapshot.status, 'Waiting on Employee');
      return { caseId, since: snap.snapshot.modstamp };
    };

    before(async () => {
      store = await backend.open({ clock: realClock });
      stack = salesforceStack(em, { tenantId: TENANT });
      settings = defaultTenantSettings();
      settings.apiVersion = stack.tenant.settings.apiVersion;
      settings.monitor.lookBackMinutes = 5;
      settings.nudges = {
        enabled: true,
        afterMinutes: 60,
        gapMinutes: 120,
        maxReminders: 2,
        quietHours: { start: '22:00', end: '07:00' },
        timeZone: 'Asia/Kolkata',
      };
      await store.tenants.insert(makeTenantRecord(TENANT, { settings }));
      contactId = await act('create-record', {
        sobject: 'Contact',
        fields: { LastName: 'Lovelace', Email: `ada.nudge.${backend.name}@example.com` },
      });
      await poll();
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('reminded after the threshold, never in Kolkata quiet hours, gap and cap kept, no Salesforce call', async () => {
      const { caseId, since } = await waitingCase();
      const calls = stack.client.usage(TENANT).attempts;
      // 22:15 IST the evening after: well past the threshold, but quiet
      const evening = nextKolkata(new Date(Date.parse(since) + HOUR).toISOString(), 22, 15);
      // (counts are the tenant's: another backend's suite left waiting cases in the same emulator org)
      assert.ok(((await runAt(evening)).held['quiet-hours'] ?? 0) >= 1);
      assert.deepEqual(await reminders(caseId), []);
      const beforeSeven = nextKolkata(evening.toISOString(), 6, 59);
      await runAt(beforeSeven);
      assert.deepEqual(await reminders(caseId), []);
      const seven = nextKolkata(evening.toISOString(), 7, 0);
      await runAt(seven);
      assert.equal((await reminders(caseId)).length, 1);
      await runAt(new Date(seven.getTime() + HOUR));
      assert.equal((await reminders(caseId)).length, 1, 'inside the gap');
      await runAt(new Date(seven.getTime() + 2 * HOUR));
      assert.equal((await reminders(caseId)).length, 2);
      assert.ok(((await runAt(new Date(seven.getTime() + 6 * HOUR))).held.cap ?? 0) >= 1);
      const sent = await reminders(caseId);
      assert.deepEqual(
        sent.map((n) => [n.eventId, n.reminder?.number, n.employeeId, n.state]),
        [
          [`${TENANT}:${caseId}:nudge:${since}:1`, 1, contactId, 'WAITING_FOR_EMPLOYEE'],
          [`${TENANT}:${caseId}:nudge:${since}:2`, 2, contactId, 'WAITING_FOR_EMPLOYEE'],
        ],
      );
      assert.equal(stack.client.usage(TENANT).attempts, calls, 'nudges read only local snapshots');
    });

    test('the employee zone, once stored, decides the quiet hours', async () => {
      const { caseId, since } = await waitingCase();
      await store.employeeZones.put(TENANT, contactId, 'UTC');
      try {
        // 07:30 IST is 02:00 UTC: morning in Kolkata, night for an employee in UTC
        const kolkataMorning = nextKolkata(new Date(Date.parse(since) + HOUR).toISOString(), 7, 30);
        await runAt(kolkataMorning);
        assert.deepEqual(await reminders(caseId), []);
      } finally {
        await store.employeeZones.put(TENANT, contactId, 'Asia/Kolkata');
      }
    });

    test('no reminder after the employee replied, nor once the case left waiting; waiting again starts anew', async () => {
      const replied = await waitingCase();
      await store.replyIntents.begin({
        tenantId: TENANT,
        idempotencyKey: `reply-${replied.caseId}`,
        caseId: replied.caseId,
        author: { id: contactId, name: 'Ada Lovelace', email: null },
        reference: '7KQ2XW',
        partCount: 1,
        fingerprint: 'f',
      });
      const left = await waitingCase();
      const first = nextKolkata(new Date(Date.parse(left.since) + 2 * HOUR).toISOString(), 12, 0);
      await runAt(first);
      assert.deepEqual(await reminders(replied.caseId), [], 'replied in this waiting period');
      assert.equal((await reminders(left.caseId)).length, 1);

      await act('set-case-status', { caseId: left.caseId, status: 'Working' });
      await poll();
      const report = await runAt(new Date(first.getTime() + 3 * HOUR));
      assert.ok(report.ended >= 1);
      assert.equal((await reminders(left.caseId)).length, 1, 'left waiting: no more reminders');

      await act('set-case-status', { caseId: left.caseId, status: 'Waiting on Employee' });
      await poll();
      const again = (await store.caseSnapshots.getMany(TENANT, [left.caseId])).get(left.caseId);
      assert.ok(again);
      // a new period, already past the threshold (16:00 IST): its reminders count from 1 again, under a new id
      await runAt(new Date(first.getTime() + 4 * HOUR));
      const all = await reminders(left.caseId);
      assert.equal(all.length, 2);
      assert.equal(all[1]?.eventId, `${TENANT}:${left.caseId}:nudge:${again.snapshot.modstamp}:1`);
    });

    test('a crash between enqueueing and recording a reminder: the next run sends nothing twice', async () => {
      const { caseId, since } = await waitingCase();
      const crashing: NudgeRepository = {
        listWaiting: (t, s) => store.nudges.listWaiting(t, s),
        endLeft: (t, s) => store.nudges.endLeft(t, s),
        startPeriod: (t, c, s) => store.nudges.startPeriod(t, c, s),
        lastReplies: (t, c) => store.nudges.lastReplies(t, c),
        recordReminder: () => Promise.reject(new Error('worker died')),
      };
      const due = nextKolkata(new Date(Date.parse(since) + HOUR).toISOString(), 12, 0);
      await assert.rejects(runAt(due, sut(crashing)), /worker died/);
      assert.equal((await reminders(caseId)).length, 1);
      // restarted: a new run decides the same reminder, the outbox keeps one, and the record catches up
      await runAt(new Date(due.getTime() + 60_000));
      await runAt(new Date(due.getTime() + 2 * 60_000));
      const sent = await reminders(caseId);
      assert.deepEqual(
        sent.map((n) => n.eventId),
        [`${TENANT}:${caseId}:nudge:${since}:1`],
      );
      // the gap runs from the recorded reminder (the restart's time)
      await runAt(new Date(due.getTime() + 3 * HOUR));
      assert.equal((await reminders(caseId)).length, 2, 'the count went on from the recorded reminder');
    });
  });
}
