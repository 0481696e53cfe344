// The employee's list holds every open ticket and the closed ones changed in the last 30 days, in one Salesforce
// query: an open ticket untouched for 40 days is listed even behind 60 tickets closed since, and a ticket closed 40
// days ago is not. Cases are stamped weeks apart by moving the emulator's clock, which casebridge runs on too.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { AdjustableClock, controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { type Runtime } from '../../src/main.js';
import { botAppOn, openBotTenant, openEmployeeSession } from '../helpers/bot-tenant.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const EMAIL = 'long.list@example.com';
const DAY_MS = 24 * 60 * 60_000;
const clock = new AdjustableClock();
let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let bot: string;
let stop: () => Promise<void>;

interface Listing {
  tickets: { number: string; subject: string; isClosed: boolean }[];
}

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-bot-listing-', rsa.publicKey, clock, clock));
  const { app } = botAppOn(runtime, clock);
  bot = await app.listen({ port: 0, host: '127.0.0.1' });
  stop = () => app.close();
});

after(async () => {
  await stop();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('an old open ticket stays listed behind many newer closed ones; one closed 40 days ago drops off; one query', async () => {
  const as = em.demo?.integrationUserId ?? '';
  const contactId = em.org.data.insert('Contact', { FirstName: 'Long', LastName: 'List', Email: EMAIL }, as);
  const insert = (subject: string, status: string) =>
    em.org.data.insert('Case', { Subject: subject, Status: status, ContactId: contactId }, as);
  insert('Old open laptop request', 'New');
  insert('Old closed printer ticket', 'Closed');
  clock.advance(40 * DAY_MS);
  for (let i = 0; i < 60; i++) insert(`Closed this month ${i}`, 'Closed');
  for (let i = 0; i < 3; i++) {
    // a second apart: LastModifiedDate has whole seconds
    clock.advance(1000);
    insert(`Open this month ${i}`, 'Working');
  }
  const session = await openEmployeeSession(bot, rsa.privateKey, EMAIL, clock);
  const control = controlClient(em);
  const { lastSeq } = await control<{ lastSeq: number }>('GET', '/calls?limit=1');
  const res = await fetch(`${bot}/v1/tickets`, { headers: { authorization: `Bearer ${session}` } });
  const listing = (await res.json()) as Listing;
  assert.equal(res.status, 200, JSON.stringify(listing));
  const { calls } = await control<{ calls: { path: string }[] }>(
    'GET',
    `/calls?counted=true&afterSeq=${lastSeq}`,
  );
  const subjects = listing.tickets.map((t) => t.subject);
  assert.equal(listing.tickets.length, 64, 'four open, sixty closed this month');
  assert.ok(subjects.includes('Old open laptop request'), 'the old open ticket is listed');
  assert.ok(!subjects.includes('Old closed printer ticket'), 'closed 40 days ago: not recent');
  // open first, each group newest change first
  assert.deepEqual(subjects.slice(0, 4), [
    'Open this month 2',
    'Open this month 1',
    'Open this month 0',
    'Old open laptop request',
  ]);
  assert.ok(listing.tickets.slice(4).every((t) => t.isClosed));
  assert.equal(calls.length, 1, `one Salesforce query: ${JSON.stringify(calls)}`);
});
